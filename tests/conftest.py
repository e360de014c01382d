"""Shared test setup. Kivy-specific setup lives in tests/ui/conftest.py so that
plain tests never import Kivy."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("KIOSK_LOG_LEVEL", "WARNING")
