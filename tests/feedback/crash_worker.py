"""Records a burst of feedback answers as the app does, printing `ACK <id>` once an
answer is durable (the moment the screen would acknowledge it). Used by the crash test,
which kills this process with SIGKILL at random moments."""
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.clock import SystemClock  # noqa: E402
from kiosk.feedback.flow import FeedbackFlow, Settings  # noqa: E402
from kiosk.feedback.store import FeedbackRecorder, QueuedRecorder  # noqa: E402
from kiosk.storage.store import Store  # noqa: E402
from kiosk.storage.writer import Writer  # noqa: E402


def main(data_dir: str) -> None:
    store = Store(data_dir)
    rec = FeedbackRecorder(store)
    print("RECOVERED", rec.recover(), flush=True)
    writer = Writer()
    sink = QueuedRecorder(rec, writer, on_begin_durable=lambda a: print("ACK", a.id, flush=True))
    reasons = {"positive": ["friendliness", "result"], "neutral": ["clarity"],
               "negative": ["waiting_time", "building"]}
    flow = FeedbackFlow(Settings(response_interval_s=0, reasons=reasons), SystemClock(), sink)
    rnd = random.Random()
    while True:
        flow.answer(rnd.randint(1, 5))
        for rid in flow.reasons_offered():
            if rnd.random() < 0.5:
                flow.toggle_reason(rid)
        r = rnd.random()
        if r < 0.6:
            flow.done()
        elif r < 0.9:
            flow.skip()
        # else: the next answer ends this one ("next_answer")
        flow.tick()
        writer.flush(5)
        time.sleep(0.002)


if __name__ == "__main__":
    main(sys.argv[1])
