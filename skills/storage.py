"""One SQLite connection per thread to the shop's database file, for the tables
that turns write (sessions, events, orders): autocommit, WAL, and a timeout
that waits out another process's write."""

from __future__ import annotations

import sqlite3
import threading


class ThreadConnections:
    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # Autocommit: each statement is its own transaction unless BEGIN says otherwise.
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a power cut may lose the last turns, never corrupt the file.
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn
