"""`kiosk run` reuses the validated config of the last clean start (kiosk/config/cache.py)
while no file it depends on changed; problems are still found and reported as without it."""
import os
from types import SimpleNamespace

import pytest

import kiosk.config.local
from kiosk.commands.loading import load_config_safe
from kiosk.config import cache
from kiosk.config.paths import LAST_GOOD, LOCAL_OVERRIDES
from kiosk.errors import UserError


def args(data, site=None):
    return SimpleNamespace(config=str(site) if site else None, data_dir=str(data))


@pytest.fixture
def counted(monkeypatch):
    """Counts full loads (the cache hit path never calls the loader)."""
    calls = []
    real = kiosk.config.local.load_or_safe_mode

    def spy(*a, **kw):
        calls.append(a)
        return real(*a, **kw)
    monkeypatch.setattr(kiosk.config.local, "load_or_safe_mode", spy)
    return calls


def touch_later(path, text):
    """Rewrite a file so that its stat surely differs (mtime granularity)."""
    st = os.stat(path)
    path.write_text(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))


def test_second_start_reuses_the_config(tmp_path, counted):
    site = tmp_path / "site.toml"
    site.write_text('[feedback]\nscale = 3\n[device]\nrole = "home"\n')
    cfg1, s1, p1 = load_config_safe(args(tmp_path / "data", site))
    assert (tmp_path / "data" / "cache" / cache.CACHE_FILE).exists()
    cfg2, s2, p2 = load_config_safe(args(tmp_path / "data", site))
    assert len(counted) == 1
    assert cfg2 == cfg1 and cfg2.feedback.scale == 3 and cfg2.device.role == "home"
    assert (s2, p2) == (s1, p1) == (str(site), [])


def test_changed_site_file_is_loaded_again(tmp_path, counted):
    site = tmp_path / "site.toml"
    site.write_text("[feedback]\nscale = 3\n")
    load_config_safe(args(tmp_path / "data", site))
    touch_later(site, "[feedback]\nscale = 4\n")
    cfg, _, _ = load_config_safe(args(tmp_path / "data", site))
    assert len(counted) == 2 and cfg.feedback.scale == 4


def test_broken_site_file_after_a_good_start_is_reported(tmp_path, capsys):
    site = tmp_path / "site.toml"
    site.write_text("[feedback]\nscale = 3\n")
    load_config_safe(args(tmp_path / "data", site))
    touch_later(site, "[feedback]\nscale = 9\n")
    with pytest.raises(UserError, match="1 problem"):
        load_config_safe(args(tmp_path / "data", site))
    assert f"{site}:2: feedback.scale: 9 is above the maximum 5" in capsys.readouterr().err


def test_missing_site_file_after_a_good_start_is_reported(tmp_path, capsys):
    site = tmp_path / "site.toml"
    site.write_text("[feedback]\nscale = 3\n")
    load_config_safe(args(tmp_path / "data", site))
    site.unlink()
    with pytest.raises(UserError):
        load_config_safe(args(tmp_path / "data", site))
    assert "file not found" in capsys.readouterr().err


def test_broken_overrides_start_safe_mode_and_are_never_cached(tmp_path, counted):
    data = tmp_path / "data"
    data.mkdir()
    (data / LOCAL_OVERRIDES).write_text("[feedback]\nscale = 4\n")
    cfg, _, problems = load_config_safe(args(data))
    assert cfg.feedback.scale == 4 and problems == [] and (data / LAST_GOOD).exists()
    touch_later(data / LOCAL_OVERRIDES, "[feedback]\nscale = 99\n")
    for _ in range(2):  # safe mode each time: the broken file is read again
        cfg, _, problems = load_config_safe(args(data))
        assert cfg.feedback.scale == 4
        assert len(problems) == 1 and "feedback.scale" in problems[0].render()
    assert len(counted) == 3


def test_changed_code_or_catalogs_mean_a_full_load(tmp_path, monkeypatch, counted):
    load_config_safe(args(tmp_path / "data"))
    real = cache._code_stats
    monkeypatch.setattr(cache, "_code_stats", lambda: real() + (("kiosk/locale/xx.po", 1),))
    load_config_safe(args(tmp_path / "data"))
    load_config_safe(args(tmp_path / "data"))
    assert len(counted) == 2


def test_unreadable_cache_file_is_only_a_miss(tmp_path, counted):
    load_config_safe(args(tmp_path / "data"))
    (tmp_path / "data" / "cache" / cache.CACHE_FILE).write_bytes(b"\x80\x05garbage")
    cfg, _, problems = load_config_safe(args(tmp_path / "data"))
    assert problems == [] and cfg.feedback.scale == 5
    assert len(counted) == 2
