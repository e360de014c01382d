"""Store-and-forward to the central service: the outbox's health, HTTP transport, the worker."""
