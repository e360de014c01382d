"""`python -m screens ...` is the same as the `kiosk` command (with `kiosk run`)."""
import sys

from screens.main import main

sys.exit(main())
