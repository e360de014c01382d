"""`python -m kiosk ...`: the core's commands (config, ticket, route, sync, doctor, staff).
The full `kiosk` command, with `kiosk run`, is `python -m screens` (screens/main.py)."""
import sys

from kiosk.cli import main

sys.exit(main())
