"""`kiosk config check` and the loader on good and bad files."""
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import check_file, describe, load
from kiosk.config.model import KioskConfig
from kiosk.config.render import render_defaults

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path, text, name="site.toml", mode="w"):
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return str(p)


def problems(tmp_path, text):
    return [p.render() for p in check_file(write(tmp_path, text))]


def test_valid_file_exits_0(tmp_path, capsys):
    f = write(tmp_path, '[feedback]\nscale = 3\n[ui]\nlanguages = ["nl", "en"]\n')
    assert main(["config", "check", f]) == 0
    assert "OK" in capsys.readouterr().out


def test_shipped_defaults_file_is_valid_and_current(tmp_path):
    assert check_file(str(ROOT / "config" / "defaults.toml")) == []
    assert (ROOT / "config" / "defaults.toml").read_text() == render_defaults(), \
        "config/defaults.toml is stale: run `kiosk config defaults > config/defaults.toml`"


def test_every_key_is_documented():
    for path, _default, doc in describe(KioskConfig):
        assert doc.strip(), f"{path} has no documentation"


# (file text, expected substring of the single problem line)
BAD = {
    "broken toml": ('[feedback\nscale = 3\n', "site.toml:1: (top): not valid TOML"),
    "wrong type": ('[feedback]\nscale = "five"\n',
                   "site.toml:2: feedback.scale: expected a whole number, got text 'five'"),
    "bool for int": ('[feedback]\nscale = true\n', "feedback.scale: expected a whole number"),
    "unknown key": ('[feedback]\nscael = 4\n',
                    "site.toml:2: feedback.scael: unknown key (did you mean 'scale'?)"),
    "unknown section": ('[feedbak]\nscale = 4\n', "feedbak: unknown key (did you mean 'feedback'?)"),
    "empty reasons": ('[feedback.reasons]\nnegative = []\n',
                      "site.toml:2: feedback.reasons.negative: must not be empty"),
    "scale too big": ('[feedback]\nscale = 7\n', "site.toml:2: feedback.scale: 7 is above the maximum 5"),
    "scale too small": ('\n\n[feedback]\nscale = 2\n', "site.toml:4: feedback.scale: 2 is below the minimum 3"),
    "unknown language": ('[ui]\nlanguages = ["nl", "xx"]\n', "ui.languages[1]: no catalog for language 'xx'"),
    "default not offered": ('[ui]\ndefault_language = "en"\nlanguages = ["nl"]\n',
                            "site.toml:2: ui.default_language: 'en' is not in ui.languages"),
    "reason without words": ('[feedback.reasons]\npositive = ["parking"]\n',
                             "feedback.reasons.positive[0]: reason 'parking' has no words in nl, en"),
    "list of wrong items": ('[ui]\nlanguages = ["nl", 3]\n', "ui.languages[1]: expected text, got int 3"),
    "bad timezone": ('[device]\ntimezone = "Mars/Base"\n', "device.timezone: 'Mars/Base' is not a known time zone"),
    "bad role": ('[device]\nrole = "coffee"\n', "device.role: 'coffee' is not one of: feedback"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_files(tmp_path, name):
    text, expected = BAD[name]
    got = problems(tmp_path, text)
    assert len(got) == 1, got
    assert expected in got[0]


def test_binary_junk(tmp_path):
    got = [p.render() for p in check_file(write(tmp_path, bytes(range(256)) * 4))]
    assert len(got) == 1 and "not UTF-8 text" in got[0] and "site.toml:" in got[0]


def test_nul_bytes(tmp_path):
    got = problems(tmp_path, "a = 1\n\x00\x00")
    assert "contains NUL bytes" in got[0]


def test_missing_file(tmp_path):
    got = [p.render() for p in check_file(str(tmp_path / "nope.toml"))]
    assert got == [f"{tmp_path / 'nope.toml'}: (top): file not found"]


def test_custom_reason_with_labels_is_fine(tmp_path):
    assert problems(tmp_path, '[feedback.reasons]\npositive = ["parking"]\n'
                              '[feedback.reason_labels.parking]\nnl = "Parkeren"\nen = "Parking"\n') == []


def test_several_problems_all_reported(tmp_path):
    got = problems(tmp_path, '[feedback]\nscale = 9\nthanks_s = "x"\nfoo = 1\n')
    assert len(got) == 3


def test_layers_local_overrides_win(tmp_path):
    site = write(tmp_path, '[feedback]\nscale = 4\nthanks_s = 2.0\n')
    data = tmp_path / "data"
    data.mkdir()
    (data / "local.toml").write_text('[feedback]\nscale = 3\n')
    cfg, layers = load(site, data)
    assert cfg.feedback.scale == 3 and cfg.feedback.thanks_s == 2.0
    assert len(layers) == 2


def test_problem_in_local_overrides_names_that_file(tmp_path):
    from kiosk.config import ConfigError
    site = write(tmp_path, '[feedback]\nscale = 4\n')
    data = tmp_path / "data"
    data.mkdir()
    (data / "local.toml").write_text('[feedback]\nscale = 11\n')
    with pytest.raises(ConfigError) as e:
        load(site, data)
    assert str(e.value).startswith(f"{data / 'local.toml'}:2: feedback.scale:")


@pytest.mark.parametrize("content", ['[feedback]\nscale = "x"\n', bytes([0xff, 0xfe, 0x00]) * 50,
                                     '[[[', 'x = [1, "a"\n'])
def test_cli_exit_2_and_no_traceback(tmp_path, content):
    f = write(tmp_path, content)
    r = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", f],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2
    assert "Traceback" not in r.stdout + r.stderr
    assert r.stdout.startswith(f)


def test_cli_missing_file_exit_2(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", str(tmp_path / "x.toml")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "file not found" in r.stdout and "Traceback" not in r.stderr


def test_schema_optional_and_required_fields():
    from dataclasses import dataclass
    from typing import Optional
    from common.schema import build, setting

    @dataclass
    class S:
        name: str = setting(doc="required")
        limit: float | None = setting(None, "optional number")
        other: Optional[int] = setting(None, "optional whole number")

    inst, probs = build(S, {"name": "x", "limit": 2, "other": None})
    assert probs == [] and inst.limit == 2.0 and inst.other is None
    _, probs = build(S, {"name": 3})
    assert [p.render() for p in probs] == ["<config>: name: expected text, got int 3"]
    _, probs = build(S, {})
    assert [p.render() for p in probs] == ["<config>: name: is required"]


def test_cli_imports_only_the_chosen_command():
    from kiosk.cli import COMMAND_MODULES, COMMAND_NAMES, _wanted_modules
    assert sorted(COMMAND_NAMES.values()) == sorted(COMMAND_MODULES)
    from screens.main import UI_COMMANDS
    assert _wanted_modules(["--data-dir", "x", "run", "--simulate"], UI_COMMANDS) == ["screens.main"]
    assert "screens.main" not in _wanted_modules(["run"])  # the core alone has no `run`
    assert _wanted_modules(["--config", "run", "config", "check", "f"]) == ["kiosk.commands.config_cmd"]
    assert _wanted_modules(["--help"]) == COMMAND_MODULES
    assert _wanted_modules(["nonsense"]) == COMMAND_MODULES


def test_a_file_printer_in_a_missing_folder_is_named(tmp_path):
    """`kiosk config check` looks at the folder a file:// printer URL names (the device node
    itself may be missing while the printer is unplugged: `kiosk doctor` says that)."""
    url = f"file://{tmp_path}/nowhere/printer.bin"
    f = write(tmp_path, f'[devices.printer]\nurl = "{url}"\n')
    r = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", f], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stdout.splitlines() == [
        f"{f}:2: devices.printer.url: '{url}': folder {tmp_path}/nowhere does not exist; "
        "create it or correct the path"]
    assert "Traceback" not in r.stderr
    # only the check asked for looks at this machine: a kiosk still starts with that URL
    assert load(f)[0].devices.printer.url == url
    assert problems(tmp_path, f'[devices.printer]\nurl = "file://{tmp_path}/p.bin"\n') == []
    assert problems(tmp_path, '[devices.printer]\nurl = "file:///dev/kiosk-test-lp9"\n') == []
