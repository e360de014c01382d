"""What a screen tells the audio guide: its title, its instruction and its focus order.

  FocusItem("reason.waiting_time", "Wachttijd", role="toggle", chosen=True,
            activate=lambda: ..., detail="")

`key` is stable while the screen shows (focus is kept by key when the screen updates its items);
`label` is the text the visitor sees, already translated; `role` is "button" (select activates
it), "toggle" (select activates it and its state "chosen" / "not chosen" is spoken) or "text"
(read only: select reads it again); `enabled` False is spoken as "not possible now" and
select does not activate it; `detail` is extra text read after the label (e.g. a service's
"Closed now"). `activate` runs on the caller's thread (the UI thread).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

ROLES = ("button", "toggle", "text")


@dataclass(frozen=True)
class FocusItem:
    key: str
    label: str
    role: str = "button"
    chosen: bool | None = None
    enabled: bool = True
    activate: Callable[[], None] | None = field(default=None, compare=False)
    detail: str = ""

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"focus item {self.key!r}: role {self.role!r} is not one of "
                             + ", ".join(ROLES))

    @property
    def actionable(self) -> bool:
        return self.role != "text" and self.enabled and self.activate is not None

    def toggled(self) -> "FocusItem":
        """The same item after a toggle activated it."""
        return FocusItem(self.key, self.label, self.role, not self.chosen, self.enabled,
                         self.activate, self.detail)


@dataclass
class ScreenSpeech:
    """One screen as the guide knows it."""
    name: str
    title: str
    instruction: str = ""
    items: list[FocusItem] = field(default_factory=list)
    on_back: Callable[[], None] | None = None
    start: bool = False           # the start screen: a long press there enters audio mode

    def intro(self) -> str:
        return sentences(self.title, self.instruction)

    def index_of(self, key: str | None) -> int:
        for i, item in enumerate(self.items):
            if item.key == key:
                return i
        return -1


def sentences(*parts: str) -> str:
    """Texts joined as sentences: each ends with a stop (unless it has its own), blanks dropped."""
    out = []
    for p in parts:
        p = " ".join(p.split())
        if p:
            out.append(p if p[-1] in ".?!:;" else p + ".")
    return " ".join(out)


def item_text(item: FocusItem, pos: int, count: int, tr, lang: str) -> str:
    """'Wachttijd, gekozen, 2 van 4': label, detail, state, position (pos counts from 1)."""
    parts = [item.label.strip(), item.detail.strip()]
    if item.role == "toggle" and item.chosen is not None:
        parts.append(tr("audio.state.chosen" if item.chosen else "audio.state.not_chosen", lang))
    if not item.enabled:
        parts.append(tr("audio.state.disabled", lang))
    parts.append(tr("audio.position", lang, pos=pos, count=count))
    return ", ".join(" ".join(p.split()) for p in parts if p) + "."
