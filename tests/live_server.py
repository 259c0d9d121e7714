"""Real `voiceshop serve` processes for the HTTP tests: start one on a free loopback port,
wait until it answers, call it, stop it."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass
class LiveServer:
    process: subprocess.Popen
    base: str
    log_path: Path

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, env: dict, log_path: Path, *flags: str) -> LiveServer:
    """Starts gunicorn with two workers and waits (up to 3 minutes on a busy 2-core
    machine) until it answers; a slow answer while models load counts as not ready."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "skills.cli", "serve", "--port", str(port), "--db", str(db)]
            + ["--workers", "2", "--threads", "4", *flags],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(base + "/openapi.json", timeout=10)
            return LiveServer(process, base, log_path)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the server did not start: {log_path.read_text()}") from None
            time.sleep(0.3)


def call(
    base: str,
    path: str,
    body=None,
    content_type: str | None = "application/json",
    accept: str | None = None,
    method: str = "POST",
    auth: str | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
):
    """One HTTP request; returns (status, headers, body bytes), error statuses included."""
    data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    if accept:
        request.add_header("Accept", accept)
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
