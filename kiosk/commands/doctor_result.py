"""One line of `kiosk doctor`: a level, the check's name and what it found."""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.Enum):
    OK = "ok"
    WARN = "warn"
    FAULT = "FAULT"


@dataclass
class Result:
    level: Level
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.level.value:<6}{self.name:<12}{self.detail}"
