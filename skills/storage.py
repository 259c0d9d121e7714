"""One SQLite connection per thread to the shop's database file, shared by every
table that turns write (sessions, events, orders, tickets, customers…):
autocommit, WAL, and a timeout that waits out another process's write.

Sharing the connection is what lets a turn commit everything it did at once: the
session store opens the turn's transaction, and every book's writes in that
thread land inside it (`writing` does not open a second one).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_local = threading.local()


class ThreadConnections:
    def __init__(self, path: str) -> None:
        self.path = path
        self._key = os.path.abspath(path)

    def get(self) -> sqlite3.Connection:
        conns = getattr(_local, "conns", None)
        if conns is None:
            conns = _local.conns = {}
        conn = conns.get(self._key)
        if conn is None:
            # Autocommit: each statement is its own transaction unless BEGIN says otherwise.
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a power cut may lose the last turns, never corrupt the file.
            conn.execute("PRAGMA synchronous=NORMAL")
            conns[self._key] = conn
        return conn


@contextmanager
def writing(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Several writes together or not at all: a transaction of their own, or, when
    the caller's is already open (a turn's), part of it, committed with it."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    with conn:  # commits, or rolls back if anything inside fails
        yield conn
