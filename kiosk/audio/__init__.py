"""Audio-guided mode (issue 13), without Kivy: the guide that screens drive (guide.py), the
focus order they register (focus.py), explore-by-touch (touch.py), the speaking worker
(voice.py) and the spoken ticket (ticket.py). docs/accessibility.md says how it is used."""
