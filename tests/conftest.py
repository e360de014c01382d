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
# python-escpos re-parses its printer-profile YAML in a fresh temp dir unless told where its
# pickle lives (see kiosk/cli.py _escpos_cache); share one cache for the whole run.
(BUILD / "escpos-cache").mkdir(parents=True, exist_ok=True)
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(BUILD / "escpos-cache"))
