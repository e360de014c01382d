"""The ticket function: services and opening hours, numbering, issuing, printing and the ticket's content."""
