"""Text turns over HTTP at 50 concurrent sessions, against gunicorn on loopback, beside
a bare Flask route served the same way; then a soak of 10,000 turns over 200 sessions
that must leave every cart exactly as its turns built it, with no 5xx.

The client runs on the same 2 cores as the server, so the figures are a floor."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.measure import Row, ms, percentile
from skills.assistant import Assistant
from skills.store import SessionStore

WORKERS, THREADS = 2, 8
SESSIONS, TURNS_EACH = 50, 40
SOAK_SESSIONS, SOAK_TURNS = 200, 10_000
AUDIO_TURNS, AUDIO_CLIENTS = 24, 4
SCRIPT = [
    "show me hoodies",
    "how much is the second one",
    "do you deliver to Spain",
    "add honey to my cart",
    "what's in my cart",
]


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(command: list[str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server on port {port} did not start")


def _client(port: int, texts: list[str], latencies: list, errors: list, sessions: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    session = None
    for text in texts:
        body = {"text": text} if session is None else {"text": text, "session_id": session}
        started = time.perf_counter()
        connection.request(
            "POST", "/v1/turn", json.dumps(body), {"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        raw = response.read()
        latencies.append(time.perf_counter() - started)
        if response.status >= 500:
            errors.append(response.status)
        elif response.status == 200:
            session = json.loads(raw).get("session_id", session)
    sessions.append(session)
    connection.close()


def _load(port: int, sessions: int, scripts: list[list[str]]) -> tuple[float, list, list, list]:
    latencies: list[float] = []
    errors: list[int] = []
    ids: list[str] = []
    threads = [
        threading.Thread(target=_client, args=(port, scripts[i], latencies, errors, ids))
        for i in range(sessions)
    ]
    return _run_all(threads), latencies, errors, ids


def _run_all(threads: list[threading.Thread]) -> float:
    """Start every client at once; seconds until the last one is done."""
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _audio(port: int, wav: bytes, count: int, latencies: list, errors: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    for _ in range(count):
        started = time.perf_counter()
        connection.request("POST", "/v1/turn/audio?lang=en", wav, {"Content-Type": "audio/wav"})
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            errors.append(response.status)
    connection.close()


def audio_rows(port: int) -> list[Row]:
    """Spoken turns (recognition + skill + synthesis) with the model already loaded."""
    from voice.audio import decode_wav
    from voice.tts import Synthesizer

    wav = Synthesizer("en", rate=150).to_wav("show me running shoes under eighty euros")
    seconds = decode_wav(wav).seconds
    _audio(port, wav, WORKERS * 2, [], [])  # warm-up: each worker loads the model
    latencies: list[float] = []
    errors: list[int] = []
    threads = [
        threading.Thread(
            target=_audio, args=(port, wav, AUDIO_TURNS // AUDIO_CLIENTS, latencies, errors)
        )
        for _ in range(AUDIO_CLIENTS)
    ]
    took = _run_all(threads)
    return [
        Row(
            f"HTTP audio turns ({seconds:.1f} s of speech each, whisper base, "
            f"{AUDIO_CLIENTS} clients)",
            f"{len(latencies) / took:.2f} turns/s, p50 {ms(percentile(latencies, 50))}, "
            f"{len(errors)} errors",
            "",
        )
    ]


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "shop.db")
        Assistant(db, demo=True)  # the demo shop the load runs against
        port, bare_port = _port(), _port()
        serve = [
            sys.executable,
            "-m",
            "skills.cli",
            "serve",
            "--port",
            str(port),
            "--db",
            db,
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
        ]
        bare = [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "-k",
            "gthread",
            "-b",
            f"127.0.0.1:{bare_port}",
            "bench.bare_app:app",
        ]
        servers = [_start(serve, port), _start(bare, bare_port)]
        try:
            scripts = [(SCRIPT * TURNS_EACH)[:TURNS_EACH] for _ in range(SESSIONS)]
            _load(port, 4, scripts)  # warm-up: workers load the skill
            took, latencies, errors, _ = _load(port, SESSIONS, scripts)
            bare_took, bare_latencies, _, _ = _load(bare_port, SESSIONS, scripts)
            turns = len(latencies)
            p99 = percentile(latencies, 99)
            rows = [
                Row(
                    f"HTTP text turns, {SESSIONS} concurrent sessions ({turns:,} turns, "
                    f"{WORKERS} workers × {THREADS} threads)",
                    f"{turns / took:,.0f} turns/s, p50 {ms(percentile(latencies, 50))}, "
                    f"p99 {ms(p99)}",
                    f"{len(bare_latencies) / bare_took:,.0f} requests/s, p99 "
                    f"{ms(percentile(bare_latencies, 99))} (bare Flask route)",
                    "≥ 500 turns/s, p99 < 100 ms",
                    turns / took >= 500 and p99 < 0.1,
                )
            ]
            each = SOAK_TURNS // SOAK_SESSIONS
            soak = [["add honey to my cart"] * each for _ in range(SOAK_SESSIONS)]
            took, latencies, errors_soak, ids = _load(port, SOAK_SESSIONS, soak)
            store = SessionStore(db)
            exact = sum(
                1
                for session in ids
                if session and [(x.quantity) for x in store.load(session).cart] == [each]
            )
            rows.append(
                Row(
                    f"Soak: {len(latencies):,} turns over {SOAK_SESSIONS} sessions",
                    f"{exact}/{SOAK_SESSIONS} carts exact, {len(errors) + len(errors_soak)} "
                    f"5xx, {len(latencies) / took:,.0f} turns/s",
                    "",
                    "every cart exact, 0 5xx",
                    exact == SOAK_SESSIONS and not errors and not errors_soak,
                )
            )
            return rows + audio_rows(port)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run()))
