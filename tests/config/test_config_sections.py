"""Config sections (`@section`, common/schema.py) behave as plain dataclasses do."""
import copy
import dataclasses
import pickle

import pytest

from kiosk.config.model import KioskConfig, UiSection
from common.schema import section, setting
from kiosk.tickets.settings import ServiceEntry


@section
class Sec:
    a: int = setting(1, "a")
    b: list[str] = setting(["x"], "b")


@section
class Required:
    name: str = setting(doc="required")
    n: int = setting(2, "n")


@dataclasses.dataclass
class Plain:
    a: int = 1
    b: list = dataclasses.field(default_factory=lambda: ["x"])


def test_init_defaults_positional_and_keyword():
    assert (Sec().a, Sec().b) == (1, ["x"])
    assert Sec().b is not Sec().b  # a fresh default each time
    assert (Sec(5).a, Sec(5, ["y"]).b, Sec(b=["z"]).b) == (5, ["y"], ["z"])
    assert Required("r").name == "r" and Required(name="r", n=3).n == 3


@pytest.mark.parametrize("call", [lambda: Sec(1, [], 3), lambda: Sec(1, a=2), lambda: Sec(c=1),
                                  lambda: Required()])
def test_bad_calls_raise_type_error_like_a_dataclass(call):
    with pytest.raises(TypeError):
        call()


def test_repr_and_eq_match_a_dataclass():
    assert repr(Sec(2, ["q"])).replace("Sec", "Plain") == repr(Plain(2, ["q"]))
    assert Sec() == Sec() and Sec(2) != Sec() and Sec() != Plain()
    with pytest.raises(TypeError):
        hash(Sec())
    assert Sec.__eq__(Sec(), Plain()) is NotImplemented


def test_dataclass_helpers_work():
    s = Sec(3)
    assert dataclasses.is_dataclass(Sec)
    assert [f.name for f in dataclasses.fields(s)] == ["a", "b"]
    assert dataclasses.asdict(s) == {"a": 3, "b": ["x"]}
    assert dataclasses.replace(s, a=4) == Sec(4)
    assert copy.deepcopy(s) == s and pickle.loads(pickle.dumps(s)) == s


def test_the_real_model_round_trips():
    cfg = KioskConfig()
    cfg.services = [ServiceEntry(id="passport", prefix="P", names={"nl": "Paspoort", "en": "Passport"})]
    again = pickle.loads(pickle.dumps(cfg))
    assert again == cfg and again is not cfg
    assert again != dataclasses.replace(cfg, ui=UiSection(width=800))
    assert repr(cfg).startswith("KioskConfig(device=DeviceSection(id=''")
