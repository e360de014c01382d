"""Help at the kiosk (issue #18, "Hulp nodig?"): a visitor who is stuck presses the help
button and a host comes; offline or outside the help hours the kiosk shows the way to the
information desk instead. Plain Python, no Kivy: `settings` (the [help] config keys), `desk`
(the call's state and its events), `watch` (the host's answers from the central queue)."""
