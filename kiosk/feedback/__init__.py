"""The smiley feedback pillar: the flow's rules and the durable answers."""
