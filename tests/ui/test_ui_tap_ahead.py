"""The next screen made while the finger rests on the glass (issue #19): a service's ticket,
a destination's route, and "show me the way" while the visitor reads the ticket. The release
only shows what was made; what it shows is still the real thing."""
import pytest

from kivy.core.text import LabelBase

from tap_kit import floorplan, hall, spy


TICKETS = {"device": {"role": "tickets"},
           "services": [{"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
                         "pictogram": "passport", "wait_at": {"nl": "Wachtruimte B", "en": "Waiting area B"}},
                        {"id": "moving", "prefix": "C", "names": {"nl": "Verhuizen", "en": "Moving house"},
                         "pictogram": "moving"}],
           "tickets": {"qr_url": "https://central.example.nl/t/{token}"},
           "devices": {"printer": {"url": "dummy://?state=online"}, "speech": {"url": "dummy://"},
                       "scanner": {"url": "sim://"}}}


@pytest.mark.parametrize("ui", [TICKETS], indirect=True, ids=["tickets"])
def test_a_service_tap_shows_a_ticket_rendered_while_the_finger_was_down(ui, monkeypatch):
    """While the finger rests on a service's tile the ticket it would get is worked out on the
    ticket worker and put on the hidden ticket screen (screens/ticket_issued.py `prepare`); the
    release takes the ticket and shows it without rendering a label. When a ticket is taken
    elsewhere between press and release, the screen shows the real number, not the foreseen."""
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    from screens.ticket_controller import ticket_controller
    ctl = ticket_controller(ui.app)
    renders = []
    spy(monkeypatch, LabelBase, "_render_real", lambda s, _n: renders.append(s.text))

    def tap(service_id, while_down=lambda: None):
        ui.frames(60)
        services = ui.screen("ticket_services")
        touch = UnitTestTouch(*ui._stable_center(services.tiles[service_id]))
        touch.touch_down()
        for _ in range(6):     # a tap: the finger rests on the glass for 0.1 s
            ctl.flush(5)
            ui.frames(1)
        while_down()
        renders.clear()
        first = []   # (number, renders) when the first frame with the ticket was drawn

        def drawn(*_):
            if not first and ui.current == "ticket_issued" and ctl.result is not None:
                # the paper may be out of the printer already: that is news, and renders
                printed = ui.app.tr("ticket.take_ticket")
                first.append((ui.screen().ids.number.text, [t for t in renders if t != printed]))
        Window.bind(on_flip=drawn)
        try:
            touch.touch_up()
            ctl.service.worker.flush(5)   # the number taken before a frame passes (not timed here)
            assert ui.until(lambda: bool(first))
        finally:
            Window.unbind(on_flip=drawn)
        ctl.flush(5)
        ctl.done()
        assert ui.until(lambda: ui.current == "ticket_services")
        return first[0]

    for sid, number in (("passport", "A001"), ("moving", "C001"), ("passport", "A002")):
        assert tap(sid) == (number, [])
        ui.advance(10)   # past the interval in which the same service again is the same ticket
    book = ui.app.core.tickets.issuer.book   # as a desk or another kiosk would take one
    number, rendered = tap("passport", while_down=lambda: book.issue("passport", "A", "nl"))
    assert number == "A004"       # A003 was taken meanwhile; A003 had been foreseen
    assert "A004" in rendered


@pytest.mark.parametrize("ui", [floorplan()], indirect=True, ids=["floorplan"])
def test_a_destination_tap_shows_a_route_made_while_the_finger_was_down(ui, monkeypatch):
    """A finger on a destination has the map screen, still hidden, make the route, its steps and
    the map (WayfindingMapScreen.prepare); the release shows them without rendering a label and
    records the route once. A finger that slides away to scroll records nothing."""
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    if ui.app.screen("wayfinding_map") is None:
        ui.app._build("wayfinding_map")
    renders = []
    spy(monkeypatch, LabelBase, "_render_real", lambda s, _n: renders.append(s.text))

    def shown():
        return [e.payload["to"] for e in ui.store.outbox_events("route.shown")]

    for place, title in (("desk-5", "Balie 5 (Vergunningen)"), ("toilets", "Toiletten")):
        ui.frames(60)
        touch = UnitTestTouch(*ui._stable_center(ui.screen("wayfinding_destinations").button(place)))
        touch.touch_down()
        ui.frames(6)          # the finger rests on the glass for 0.1 s
        assert ui.screen("wayfinding_map").ids.title.text == title
        renders.clear()
        first = []

        def drawn(*_):
            if not first and ui.current == "wayfinding_map":
                first.append(list(renders))
        Window.bind(on_flip=drawn)
        try:
            touch.touch_up()
            assert ui.until(lambda: bool(first))
        finally:
            Window.unbind(on_flip=drawn)
        assert first == [[]], first
        m = ui.screen()
        assert m.ids.title.text == title and m.ids.map.drawing is not None
        ui.tap(m.ids.back)
        assert ui.current == "wayfinding_destinations"
    assert shown() == ["desk-5", "toilets"]

    btn = ui.screen().button("desk-1")   # a scroll that starts on a button: no route
    x, y = ui._stable_center(btn)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    for dy in range(1, 8):
        touch.touch_move(x, y + dy * 30)
        ui.frames(1)
    touch.touch_up()
    ui.frames(30)
    assert ui.current == "wayfinding_destinations" and shown() == ["desk-5", "toilets"]


@pytest.mark.parametrize("ui", [hall()], indirect=True, ids=["hall"])
def test_show_me_the_way_finds_the_route_made_while_the_visitor_read_the_ticket(ui, monkeypatch):
    """On the ticket screen, "show me the way" is a likely next tap: the map makes the route to
    the desk meanwhile, and the tap shows it without rendering a label."""
    from kivy.core.window import Window

    from screens.registry import REACHABLE
    from screens.ticket_controller import ticket_controller
    for name in REACHABLE["home"]:
        ui.app._build(name)
    ui.app.show("ticket_services")
    ui.frames(30)
    ctl = ticket_controller(ui.app)
    ctl.flush(5)
    ui.tap(ui.screen().tiles["passport"])
    ctl.flush(5)
    assert ui.until(lambda: ui.current == "ticket_issued")
    issued = ui.screen()
    assert issued.place
    ui.frames(60)   # the visitor reads the ticket for a second
    renders = []
    spy(monkeypatch, LabelBase, "_render_real", lambda s, _n: renders.append(s.text))
    first = []
    record = lambda *_: first or ui.current != "wayfinding_map" or first.append(list(renders))  # noqa: E731
    Window.bind(on_flip=record)
    try:
        ui.tap(issued.ids.show_way)
        ui.frames(2)
    finally:
        Window.unbind(on_flip=record)
    assert ui.current == "wayfinding_map" and ui.screen().goal == issued.place
    assert first == [[]], first
    assert [e.payload["to"] for e in ui.store.outbox_events("route.shown")] == [issued.place]
