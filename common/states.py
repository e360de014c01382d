"""States as Enums with an explicit table of allowed transitions, and the one function that
moves a state.

  TABLE = {Light.RED: {Light.GREEN}, Light.GREEN: {Light.AMBER}, Light.AMBER: {Light.RED}}
  new = move(TABLE, Light.RED, "green", what="traffic light")   # Light.GREEN
  move(TABLE, Light.RED, Light.AMBER)   # IllegalTransition: cannot go from 'red' to 'amber' ...

A table lists every state of its Enum as a key (a state with no way out is final: an empty
set); `check_table` says what is missing, and each table's tests call it. `move` takes the
new state as a member or its value, so rows read from a database can be moved directly.
Repeating the current state is a transition like any other: allowed only where the table
says so (a ticket printed again), otherwise the caller decides it is "no change" before
calling `move`.
"""
from __future__ import annotations

import enum
from typing import Mapping, TypeVar

S = TypeVar("S", bound=enum.Enum)
Table = Mapping[S, "frozenset[S] | set[S]"]


class IllegalTransition(ValueError):
    """A state change the table does not allow; the message says what is allowed."""

    def __init__(self, message: str, current=None, new=None):
        super().__init__(message)
        self.current = current
        self.new = new


def _name(s) -> str:
    return repr(s.value) if isinstance(s, enum.Enum) else repr(s)


def move(table: Table, current: S, new, what: str = "state") -> S:
    """Return `new` as a member of `current`'s Enum when `table` allows current -> new;
    raise IllegalTransition (naming both states and what is allowed) otherwise."""
    cls = type(current)
    if not isinstance(current, enum.Enum) or current not in table:
        raise IllegalTransition(f"{what}: {_name(current)} is not a state this table knows",
                                current, new)
    try:
        target = new if isinstance(new, cls) else cls(new)
    except ValueError:
        raise IllegalTransition(f"{what}: {_name(new)} is not a state; states are "
                                + ", ".join(_name(s) for s in cls), current, new) from None
    allowed = table[current]
    if target not in allowed:
        ways = ", ".join(_name(s) for s in cls if s in allowed) or f"nothing ({_name(current)} is final)"
        raise IllegalTransition(f"{what}: cannot go from {_name(current)} to {_name(target)}; "
                                f"from {_name(current)} it can go to: {ways}", current, target)
    return target


def sources(table: Table, target: S) -> tuple[S, ...]:
    """The states from which `target` may be reached, in Enum order."""
    return tuple(s for s in type(target) if target in table.get(s, ()))


def check_table(cls: type[enum.Enum], table: Table) -> list[str]:
    """Problems with a transition table: states without a row, targets of another Enum."""
    problems = [f"{_name(s)} has no row (give it its transitions, or an empty set if final)"
                for s in cls if s not in table]
    for s, targets in table.items():
        if not isinstance(s, cls):
            problems.append(f"row {_name(s)} is not a {cls.__name__}")
        problems += [f"{_name(s)} -> {_name(t)}: not a {cls.__name__}"
                     for t in targets if not isinstance(t, cls)]
    return problems
