"""The help call without a screen (kiosk/help, issue #18): one call per press window, cancel,
the host's answer from the queue snapshot, and the way to the information desk when no
host can come (offline, outside the help hours). The fake clock only: never the machine's."""
import tomllib
import uuid
from pathlib import Path

import pytest

from kiosk.clock import FakeClock
from kiosk.hall.client import HelpEntry, QueueAnswer, parse_answer
from kiosk.help.desk import HelpDesk, HelpState, Why
from kiosk.help.watch import HelpWatch
from testkit import SUNDAY_3AM, build_config

ROOT = Path(__file__).resolve().parents[2]
PLAN = tomllib.loads((ROOT / "config" / "example-floorplan.toml").read_text())["wayfinding"]


def make(online=True, plan=False, **help_cfg):
    cfg = build_config([], help=help_cfg, **({"wayfinding": PLAN} if plan else {}))
    events = []
    clock = FakeClock()
    state = {"online": online}

    def plan_source():
        from kiosk.wayfinding import plan_from_config
        return plan_from_config(cfg)

    desk = HelpDesk(cfg.help, record=lambda t, p: events.append((t, p)), clock=clock,
                    online=lambda: state["online"], tz=cfg.device.timezone,
                    here=cfg.wayfinding.here.node, plan_source=plan_source)
    return desk, events, clock, state


def test_a_press_records_one_call_and_a_second_press_within_repeat_s_does_not():
    desk, events, clock, _ = make()
    seen = []
    desk.listen(seen.append)
    view = desk.request("ticket_services", "nl")
    assert view.state is HelpState.CALLED and view.screen == "ticket_services"
    assert events == [("help.requested", {"call_id": view.call_id, "place": "",
                                          "screen": "ticket_services", "lang": "nl",
                                          "offline": False})]
    assert uuid.UUID(view.call_id).version == 4
    clock.advance(59)
    assert desk.request("home", "en") == view          # the same call, no second event
    assert len(events) == 1 and seen == [view]
    clock.advance(2)                                   # after help.repeat_s: a new call
    again = desk.request("home", "en")
    assert again.call_id != view.call_id and [t for t, _ in events] == ["help.requested"] * 2


def test_repeat_s_is_configurable():
    desk, events, clock, _ = make(repeat_s=10)
    desk.request("home", "nl")
    clock.advance(11)
    desk.request("home", "nl")
    assert len(events) == 2


def test_cancel_records_help_cancelled_and_a_new_press_is_a_new_call():
    desk, events, clock, _ = make()
    view = desk.request("home", "nl")
    assert desk.cancel().state is HelpState.NONE
    assert events[-1] == ("help.cancelled", {"call_id": view.call_id})
    assert desk.cancel().state is HelpState.NONE and len(events) == 2   # nothing to cancel
    clock.advance(1)
    assert desk.request("home", "nl").call_id != view.call_id


def test_the_hosts_answer_for_this_call_only():
    desk, events, clock, _ = make()
    view = desk.request("home", "nl")
    desk.update((HelpEntry("someone-else", "d2", "coming", "Piet"),
                 HelpEntry(view.call_id, "d1", "open")))
    assert desk.view.state is HelpState.CALLED
    desk.update((HelpEntry(view.call_id, "d1", "coming", "Anna"),))
    assert desk.view.state is HelpState.COMING and desk.view.host == "Anna"
    clock.advance(600)                                 # on the way: never a second call
    assert desk.request("home", "nl").state is HelpState.COMING and len(events) == 1
    desk.update((HelpEntry(view.call_id, "d1", "done", "Anna"),))
    assert desk.view.state is HelpState.NONE


def test_offline_sends_the_visitor_to_the_information_desk_and_marks_the_event():
    desk, events, _clock, _ = make(online=False, plan=True)
    view = desk.request("wayfinding_destinations", "nl")
    assert view.state is HelpState.INFO and view.why is Why.OFFLINE
    assert events == [("help.requested", {"call_id": view.call_id, "place": PLAN["here"]["node"],
                                          "screen": "wayfinding_destinations", "lang": "nl",
                                          "offline": True})]
    name, steps = desk.directions("nl")
    assert name == "Informatiebalie" and steps
    assert desk.info_place().id == "info"              # the first place of kind information
    assert desk.cancel().state is HelpState.NONE and len(events) == 1   # promised nothing


def test_outside_the_help_hours_no_host_is_promised():
    desk, events, clock, _ = make(hours=["mon-fri 09:00-17:00"])
    assert desk.request("home", "nl").state is HelpState.CALLED     # Monday 10:00
    desk.cancel()
    clock.set_wall(SUNDAY_3AM)
    view = desk.request("home", "nl")
    assert view.state is HelpState.INFO and view.why is Why.CLOSED
    assert events[-1][1]["offline"] is True


def test_without_a_floor_plan_there_is_no_route():
    desk, _events, _clock, _ = make(online=False)
    desk.request("home", "nl")
    assert desk.directions("nl") == ("", [])


def test_info_place_must_be_on_the_floor_plan():
    from kiosk.config.loader import ConfigError, Layer, validate_layers
    with pytest.raises(ConfigError, match="help.info_place: 'nowhere' is not a place"):
        validate_layers([Layer("t.toml", {"wayfinding": PLAN, "help": {"info_place": "nowhere"}})])
    with pytest.raises(ConfigError, match="help.hours"):
        validate_layers([Layer("t.toml", {"help": {"hours": ["mon-fri 9-17"]}})])


def test_forget_keeps_no_call_on_screen_but_records_nothing():
    desk, events, _clock, _ = make()
    desk.request("home", "nl")
    desk.forget()
    assert desk.view.state is HelpState.NONE and len(events) == 1


# -- the snapshot contract -------------------------------------------------------------------
def test_help_entries_are_read_tolerantly(caplog):
    doc = {"server_time": "", "calls": [], "services": {},
           "help": [{"id": "c1", "device": "kiosk-1", "state": "coming", "host": "Anna"},
                    {"id": "c2", "device": "kiosk-1", "state": "open"},
                    {"id": "c3", "device": "kiosk-1", "state": "asleep"},
                    {"device": "kiosk-1", "state": "open"}, "junk",
                    {"id": "c4", "device": "kiosk-2", "state": "done", "host": None}]}
    answer = parse_answer(doc)
    assert answer.help == (HelpEntry("c1", "kiosk-1", "coming", "Anna"),
                           HelpEntry("c2", "kiosk-1", "open", ""),
                           HelpEntry("c4", "kiosk-2", "done", ""))
    assert caplog.text.count("skipped") == 3
    assert parse_answer({"server_time": ""}).help == ()
    assert parse_answer({"help": {"not": "a list"}}).help == ()


class FakeClient:
    def __init__(self):
        self.answers = []

    def fetch(self, since=None):
        from kiosk.hall.client import QueueError
        if not self.answers:
            raise QueueError("cannot reach the central service")
        return self.answers.pop(0)

    def close(self):
        pass


def test_the_watch_says_online_only_after_a_fresh_answer_and_hands_on_help_entries():
    cfg = build_config([], sync={"url": "http://127.0.0.1:9"}, help={"offline_after_s": 30})
    clock, got, client = FakeClock(), [], FakeClient()
    watch = HelpWatch(cfg.sync, cfg.help, got.append, clock=clock, client=client)
    assert not watch.online()
    assert watch.refresh() is False and not watch.online()
    client.answers.append(QueueAnswer("", help=(HelpEntry("c1", "d", "coming", ""),)))
    assert watch.refresh() is True and watch.online()
    assert got == [(HelpEntry("c1", "d", "coming", ""),)]
    clock.advance(29)
    watch.on_alive()                                   # the stream's keep-alive
    clock.advance(29)
    assert watch.online()
    clock.advance(2)
    assert not watch.online()


@pytest.mark.parametrize("url,role,expected", [("", "tickets", False),
                                               ("http://127.0.0.1:9", "tickets", True),
                                               ("http://127.0.0.1:9", "display", False)])
def test_the_core_runs_the_watch_only_with_sync_url_and_not_on_the_display(tmp_path, url, role,
                                                                          expected):
    from kiosk.appliance.core import Kiosk
    cfg = build_config([], device={"role": role}, sync={"url": url, "token": "t"})
    core = Kiosk(cfg, data_dir=tmp_path, clock=FakeClock())
    try:
        assert (core.start_help_watch() is not None) is expected
        view = core.help.request("home", "nl")
        assert view.state is HelpState.INFO and view.why is Why.OFFLINE   # no answer yet
        core.writer.flush(5)
        assert [e.type for e in core.store.outbox_events()] == ["help.requested"]
    finally:
        core.close()
