"""common.states: the one function that moves a state, over an explicit table."""
import enum

import pytest

from common.states import IllegalTransition, check_table, move, sources


class Light(str, enum.Enum):
    RED = "red"
    GREEN = "green"
    AMBER = "amber"
    BROKEN = "broken"


TABLE = {Light.RED: {Light.GREEN, Light.BROKEN}, Light.GREEN: {Light.AMBER, Light.BROKEN},
         Light.AMBER: {Light.RED, Light.BROKEN}, Light.BROKEN: set()}


@pytest.mark.parametrize("current,new,expected", [
    (Light.RED, Light.GREEN, Light.GREEN),
    (Light.RED, "green", Light.GREEN),            # a value read from a database row
    (Light.AMBER, Light.RED, Light.RED),
    (Light.GREEN, Light.BROKEN, Light.BROKEN),
])
def test_allowed(current, new, expected):
    got = move(TABLE, current, new, "traffic light")
    assert got is expected


@pytest.mark.parametrize("current,new,message", [
    (Light.RED, Light.AMBER, "traffic light: cannot go from 'red' to 'amber'; from 'red' it can "
                             "go to: 'green', 'broken'"),
    (Light.RED, Light.RED, "cannot go from 'red' to 'red'"),
    (Light.BROKEN, Light.RED, "from 'broken' it can go to: nothing ('broken' is final)"),
    (Light.RED, "purple", "traffic light: 'purple' is not a state; states are 'red', 'green'"),
    (Light.RED, None, "None is not a state"),
])
def test_refused_with_a_clear_message(current, new, message):
    with pytest.raises(IllegalTransition) as e:
        move(TABLE, current, new, "traffic light")
    assert message in str(e.value)
    assert isinstance(e.value, ValueError) and e.value.current is current


def test_a_state_missing_from_the_table_is_refused_and_reported():
    partial = {Light.RED: {Light.GREEN}}
    with pytest.raises(IllegalTransition, match="'green' is not a state this table knows"):
        move(partial, Light.GREEN, Light.RED)
    problems = check_table(Light, partial)
    assert "'green' has no row (give it its transitions, or an empty set if final)" in problems
    assert check_table(Light, TABLE) == []
    assert check_table(Light, {**TABLE, Light.RED: {"green"}}) == ["'red' -> 'green': not a Light"]


def test_sources():
    assert sources(TABLE, Light.BROKEN) == (Light.RED, Light.GREEN, Light.AMBER)
    assert sources(TABLE, Light.RED) == (Light.AMBER,)
