"""What the wayfinding screens tell the audio guide: the destinations list in its groups, and
the route map's directions read step by step (audio-guided mode, screens/audio_mode.py)."""
from __future__ import annotations

from kiosk.audio.focus import FocusItem, sentences
from screens.audio_mode import AudioView, text_item


def destinations_audio_view(screen) -> AudioView:
    app = screen.app
    items = [text_item("hint", screen.ids.hint)]
    for child in reversed(screen.ids.groups.children):
        if hasattr(child, "text") and not hasattr(child, "place_id"):     # a group header
            items.append(text_item(f"group.{len(items)}", child.ids.title))
            continue
        for btn in reversed(child.children):
            items.append((FocusItem(f"place.{btn.place_id}", btn.label,
                                    activate=lambda pid=btn.place_id: screen.choose(pid)), btn))
    return AudioView(app.tr("wayfinding.title"), "", items, on_back=app.audio_back(screen.name),
                     start=screen.name == app.start_screen())


def map_audio_view(screen) -> AudioView | None:
    """The route's title (the destination), then every step and the total as the screen shows
    them: the instruction, so the route is spoken step by step on entry."""
    if not screen.goal:
        return None
    app, ids = screen.app, screen.ids
    steps = [b.text for b in reversed(ids.steps.children)]
    instruction = sentences(app.tr("wayfinding.steps_title"), *steps, ids.total.text)
    items = []
    for i, btn in enumerate(reversed(ids.steps.children)):
        items.append((FocusItem(f"step.{i}", btn.text, role="text"), btn))
    items.append(text_item("total", ids.total))
    items.append((FocusItem("map.here", ids.map.here_text, role="text"), ids.map))
    for fid, btn in screen._floor_buttons.items():
        items.append((FocusItem(f"floor.{fid}", btn.text, role="toggle",
                                chosen=btn.state == "down",
                                activate=lambda f=fid: _floor(screen, f)), btn))
    items.append((FocusItem("back", ids.back.text, activate=screen.back), ids.back))
    items.append((FocusItem("step_free", ids.step_free.text, role="toggle",
                            chosen=screen.step_free,
                            activate=lambda: screen.set_step_free(not screen.step_free)),
                  ids.step_free))
    if screen.can_speak:
        items.append((FocusItem("speak", ids.speak.text, activate=screen.speak), ids.speak))
    return AudioView(ids.title.text, instruction, items, on_back=screen.back)


def _floor(screen, floor_id: str) -> None:
    screen.set_floor(floor_id)
    screen.app.audio.refresh(screen)
