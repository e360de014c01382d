"""kiosk/ is plain Python: no module in it imports Kivy (screens/ binds to kiosk/, not back)."""
import re
from pathlib import Path

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
KIVY_IMPORT = re.compile(r"^\s*(from\s+kivy[\s.]|import\s+kivy\b)", re.M)


def test_no_kivy_import_in_kiosk():
    offenders = [str(p.relative_to(KIOSK.parent)) for p in KIOSK.rglob("*.py")
                 if KIVY_IMPORT.search(p.read_text(encoding="utf-8"))]
    assert len(list(KIOSK.rglob("*.py"))) > 30
    assert offenders == []
