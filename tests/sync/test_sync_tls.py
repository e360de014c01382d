"""TLS is verified by default: a server with a certificate the device does not trust is
refused (and reported), the same server is accepted with its CA in sync.ca_file."""
from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading

import pytest

import kiosk.sync.worker  # noqa: F401 - loads kiosk.config first
from kiosk.storage.store import Store
from kiosk.sync.worker import drain
from kiosk.sync.transport import ReplyKind, Transport


def _pipe(a: socket.socket, b: socket.socket) -> None:
    try:
        while data := a.recv(65536):
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


@pytest.fixture
def tls_front(central, tmp_path):
    """A TLS terminator on loopback in front of the session's kiosk-central, self-signed."""
    if not shutil.which("openssl"):
        pytest.fail("openssl not found: install Debian's openssl package", pytrace=False)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(16)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                raw, _ = lsock.accept()
            except OSError:
                return
            try:
                conn = ctx.wrap_socket(raw, server_side=True)
            except (ssl.SSLError, OSError):
                raw.close()  # the client refused our certificate
                continue
            up = socket.create_connection(("127.0.0.1", central.proc.port))
            threading.Thread(target=_pipe, args=(conn, up), daemon=True).start()
            threading.Thread(target=_pipe, args=(up, conn), daemon=True).start()
    threading.Thread(target=serve, daemon=True).start()
    yield f"https://127.0.0.1:{lsock.getsockname()[1]}", str(cert)
    stop.set()
    lsock.close()


def test_untrusted_certificate_is_refused_and_trusted_ca_works(central, tls_front, tmp_path):
    url, ca = tls_front
    dev, token = central.new_device()
    store = Store(tmp_path, device_id=dev)
    for i in range(5):
        store.record_event("route.shown", {"from": "entrance", "to": f"desk{i}"})
    res = drain(store, Transport(url, token, connect_timeout=2, read_timeout=5))
    assert res.failure.kind is ReplyKind.RETRY and "TLS problem" in res.failure.message
    assert "certificate" in res.failure.message.lower() and store.outbox_stats()["pending"] == 5
    res = drain(store, Transport(url, token, ca_file=ca, connect_timeout=2, read_timeout=5))
    assert res.failure is None and res.accepted == 5
    central.assert_exactly_once(store, dev, expect=5)
    store.close()
