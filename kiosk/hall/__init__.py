"""The shared queue as the hall sees it: calls on the hall display, spoken calls, live waits."""
