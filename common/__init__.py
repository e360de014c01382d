"""What the kiosk and the central service share, and nothing else: the typed-settings schema both
build their config with, and (later) the event contract. It imports nothing of ours."""
