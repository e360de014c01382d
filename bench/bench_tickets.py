"""Ticket benchmarks (issue 3):
- tap to first byte at the printer, p95: from the moment the issuer is asked for a ticket
  to the first job byte the printer simulator receives on a pseudo-terminal (numbering in
  BEGIN IMMEDIATE with synchronous=FULL, layout, status query, send); target <= 150 ms;
- the text-mode ticket size in bytes (target <= 2 KB) and its time on the wire at 19200 and
  115200 baud (8N1: 10 bits per byte), next to the raster-mode size for comparison;
- numbering throughput with 4 processes issuing at once, vs 1 process;
- `tickets.bytes.<lang>`: one ticket job in each language of the example site (service
  `moving`, the longest ticket: directions to the 1st floor), baseline the Dutch ticket;
  limit 2048 bytes (text in the printer's code page), 20480 for Arabic (its lines as pictures).
"""
from __future__ import annotations

import multiprocessing as mp
import tempfile
import time
from pathlib import Path

from bench.report import percentile

TAPS = 60
PER_PROCESS = 60
SERVICES = [{"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
             "pictogram": "passport", "wait_at": {"nl": "Wachtruimte B", "en": "Waiting area B"},
             "handling_minutes": 10, "desks_open": 2}]


def _config(**tickets):
    from kiosk.config.loader import Layer, validate_layers
    cfg, _ = validate_layers([Layer("bench", {"services": SERVICES,
                                              "tickets": {"double_tap_s": 0, **tickets},
                                              "sync": {"url": "https://wachtrij.example.nl"}})])
    return cfg


def tap_to_first_byte(report) -> None:
    from devices.printer_serial import SerialPrinter
    from devices.printer_sim import PrinterSimulator
    from kiosk.storage.store import Store
    from kiosk.tickets.issue import TicketIssuer
    with tempfile.TemporaryDirectory() as tmp, PrinterSimulator("pty") as sim:
        store = Store(Path(tmp) / "data")
        printer = SerialPrinter.from_url(sim.url)
        issuer = TicketIssuer(store, _config(), printer=printer)
        issuer.print(issuer.issue("passport", "nl"))        # warm-up: port open, caches
        waits = []
        for _ in range(TAPS):
            sim.first_byte_at = None
            t0 = time.monotonic()
            result = issuer.issue("passport", "nl")
            outcome = issuer.print(result)
            if not outcome.printed or sim.first_byte_at is None:
                raise RuntimeError(f"ticket not printed: {outcome.reason}")
            waits.append((sim.first_byte_at - t0) * 1000)
        printer.close()
        store.close()
    p95 = percentile(waits, 95)
    report.add("tickets.tap_to_first_byte_p95", p95, "ms", target="<= 150 ms", met=p95 <= 150,
               note=f"{TAPS} tickets, printer simulator on a pty, median "
                    f"{percentile(waits, 50):.1f} ms")


def ticket_size(report) -> None:
    from kiosk.clock import FakeClock
    from kiosk.storage.store import Store
    from kiosk.tickets.issue import TicketIssuer
    from kiosk.tickets.render import raster_job, text_job
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "data", clock=FakeClock())
        issuer = TicketIssuer(store, _config())
        content = issuer.issue("passport", "en").content   # both names, all lines
        text = len(text_job(content))
        raster = len(raster_job(content))
        store.close()
    report.add("tickets.text_mode_size", text, "bytes", target="<= 2048 bytes", met=text <= 2048,
               note="English visitor: English and Dutch service names, pictogram, native QR")
    for baud in (19200, 115200):
        secs = text * 10 / baud
        report.add(f"tickets.text_mode_wire_{baud}", secs * 1000, "ms",
                   note=f"{text} bytes at {baud} baud, 8N1")
    report.add("tickets.raster_mode_size", raster, "bytes", baseline=text,
               note="the same ticket as one raster image (ratio = raster / text)")
    report.add("tickets.raster_mode_wire_19200", raster * 10 / 19200 * 1000, "ms")


LANGS = ("nl", "en", "pl", "tr", "ar", "uk")
BYTE_LIMITS = {"ar": 16384}


def bytes_per_language(report) -> None:
    from kiosk.clock import FakeClock
    from devices.capabilities import capabilities_for
    from devices.escpos_reader import read_job
    from kiosk.config.loader import Layer, read_layer, validate_layers
    from kiosk.storage.store import Store
    from kiosk.tickets.issue import TicketIssuer
    from kiosk.tickets.render import job_for
    from kiosk.tickets.setup import make_directions
    root = Path(__file__).resolve().parent.parent / "config"
    central = Layer("central.toml", {"sync": {"url": "https://wachtrij.example.nl"}})  # the QR
    cfg, _ = validate_layers([read_layer(root / n)[0]
                              for n in ("example-site.toml", "example-floorplan.toml")] + [central])
    caps = capabilities_for(cfg.devices.printer.profile)
    sizes, modes, paper = {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock()                          # Monday 10:00 local: open
        store = Store(Path(tmp) / "data", clock=clock)
        issuer = TicketIssuer(store, cfg, directions=make_directions(cfg), clock=clock)
        for lang in LANGS:
            clock.advance(60)                        # past the double-tap window
            content = issuer.issue("moving", lang).content
            job, modes[lang] = job_for(content, cfg.devices.printer.profile, "text")
            sizes[lang] = len(job)
            paper[lang] = read_job(job, caps).length_mm
        store.close()
    for lang in LANGS:
        limit = BYTE_LIMITS.get(lang, 2048)
        report.add(f"tickets.bytes.{lang}", sizes[lang], "bytes", baseline=sizes["nl"],
                   target=f"<= {limit} bytes", met=sizes[lang] <= limit,
                   note=f"example site, service moving, {cfg.devices.printer.profile}, "
                        f"{modes[lang]}; ratio = {lang} / nl")
        report.add(f"tickets.paper_mm.{lang}", round(paper[lang], 1), "mm", baseline=paper["nl"],
                   target="<= 120 mm", met=paper[lang] <= 120,
                   note="the same ticket read back from its bytes: cutter gap, lines, "
                        "directions, QR, feed before the cut; ratio = lang / nl")


def _issuer_proc(data_dir: str, n: int, go, done) -> None:
    from kiosk.storage.store import Store
    from kiosk.tickets.book import TicketBook
    store = Store(data_dir)
    book = TicketBook(store)
    go.wait()
    for _ in range(n):
        book.issue("passport", "A", "nl")
    store.close()
    done.put(n)


def _throughput(procs: int) -> float:
    from kiosk.storage.store import Store
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "data")
        Store(data).close()
        go, done = ctx.Event(), ctx.Queue()
        ps = [ctx.Process(target=_issuer_proc, args=(data, PER_PROCESS, go, done))
              for _ in range(procs)]
        for p in ps:
            p.start()
        time.sleep(1.0)                       # let every process import and open the store
        t0 = time.perf_counter()
        go.set()
        total = sum(done.get(timeout=120) for _ in ps)
        elapsed = time.perf_counter() - t0
        for p in ps:
            p.join(30)
        with Store(data) as s:
            n = s.query("SELECT COUNT(DISTINCT number) AS n FROM tickets")[0]["n"]
        if n != total:
            raise RuntimeError(f"{total} tickets issued but {n} distinct numbers")
    return total / elapsed


def numbering_throughput(report) -> None:
    one = _throughput(1)
    four = _throughput(4)
    report.add("tickets.numbering_1_process", one, "tickets/s",
               note="BEGIN IMMEDIATE + synchronous=FULL, ticket row + outbox event per ticket")
    report.add("tickets.numbering_4_processes", four, "tickets/s", baseline=one,
               note=f"4 processes x {PER_PROCESS} tickets at once; every number distinct "
                    "(checked); ratio = 4 processes / 1 process")


def run(report) -> None:
    tap_to_first_byte(report)
    ticket_size(report)
    bytes_per_language(report)
    numbering_throughput(report)
