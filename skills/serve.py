"""`voiceshop serve`: the webhook app behind gunicorn. Each worker process builds
its own app (and loads a speech model at most once per language), shared by its
threads."""

from __future__ import annotations

import os
import shutil
import tempfile

from gunicorn.app.base import BaseApplication

from skills.assistant import Assistant


class WebhookServer(BaseApplication):
    def __init__(self, options: dict, app_config: dict) -> None:
        self.options = options
        self.app_config = app_config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from skills.app import create_app  # in the worker, once the metrics folder is set

        return create_app(self.app_config)


def serve(host: str, port: int, workers: int, threads: int, app_config: dict) -> None:
    # The schema made once, here, before the workers start together.
    Assistant(app_config["DB_PATH"])
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 120,  # a first audio turn loads the speech model
        "accesslog": None,  # the app writes one JSON line per request instead
        "child_exit": _worker_gone,
    }
    # Each worker counts its own metrics in this folder; /metrics adds them up.
    metrics = tempfile.mkdtemp(prefix="voiceshop-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics
    try:
        WebhookServer(options, app_config).run()
    finally:
        shutil.rmtree(metrics, ignore_errors=True)


def _worker_gone(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
