"""Outbox row states: pending -> sent | set_aside, both final, moved only through the table."""
import pytest

from common.states import IllegalTransition, check_table, move
from kiosk.storage.store import OUTBOX_TRANSITIONS, OutboxState


def states(store):
    return {r["id"]: r["state"] for r in store.query("SELECT id, state FROM outbox")}


def test_the_table_is_complete_and_explicit():
    assert check_table(OutboxState, OUTBOX_TRANSITIONS) == []
    assert OUTBOX_TRANSITIONS[OutboxState.PENDING] == {OutboxState.SENT, OutboxState.SET_ASIDE}
    assert OUTBOX_TRANSITIONS[OutboxState.SENT] == OUTBOX_TRANSITIONS[OutboxState.SET_ASIDE] == set()


@pytest.mark.parametrize("current,new,ok", [
    (OutboxState.PENDING, OutboxState.SENT, True),
    (OutboxState.PENDING, OutboxState.SET_ASIDE, True),
    (OutboxState.SENT, OutboxState.PENDING, False),
    (OutboxState.SENT, OutboxState.SET_ASIDE, False),
    (OutboxState.SET_ASIDE, OutboxState.SENT, False),
    (OutboxState.SET_ASIDE, OutboxState.PENDING, False),
])
def test_transitions(current, new, ok):
    if ok:
        assert move(OUTBOX_TRANSITIONS, current, new) is new
    else:
        with pytest.raises(IllegalTransition, match=f"cannot go from '{current.value}'"):
            move(OUTBOX_TRANSITIONS, current, new)


def test_states_are_stored_as_their_values(store):
    ev = store.record_event("heartbeat", {})
    assert states(store) == {ev.id: "pending"}
    store.outbox_mark_sent([ev.id])
    assert states(store) == {ev.id: "sent"}
    assert store.outbox_stats()["sent"] == 1 and store.outbox_stats()["pending"] == 0


def test_the_store_moves_rows_through_the_table(store):
    a, b = store.record_event("heartbeat", {"n": 1}), store.record_event("heartbeat", {"n": 2})
    store.outbox_set_aside(b.id, "refused")
    store.outbox_mark_sent([a.id])
    store.outbox_mark_sent([a.id])                 # told twice: no second change
    assert store.query("SELECT attempts FROM outbox WHERE id=?", (a.id,))[0]["attempts"] == 1
    with pytest.raises(IllegalTransition, match=f"outbox event {b.id}: cannot go from "
                                                "'set_aside' to 'sent'"):
        store.outbox_mark_sent([b.id])
    with pytest.raises(IllegalTransition, match="cannot go from 'sent' to 'set_aside'"):
        store.outbox_set_aside(a.id, "too late")
    assert states(store) == {a.id: "sent", b.id: "set_aside"}


def test_a_refused_move_leaves_the_whole_batch_as_it_was(store):
    a, b = store.record_event("heartbeat", {"n": 1}), store.record_event("heartbeat", {"n": 2})
    store.outbox_set_aside(b.id, "refused")
    with pytest.raises(IllegalTransition):
        store.outbox_mark_sent([a.id, b.id])
    assert states(store) == {a.id: "pending", b.id: "set_aside"}     # rolled back
    assert not store.conn.in_transaction
