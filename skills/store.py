"""Sessions: dialogue state and cart per conversation, in SQLite (WAL).

A turn runs inside `SessionStore.turn`: a per-session lock orders the turns of one
session within a process; the handler works on a fresh copy of the state; the new
state is written only if the handler returned, and only if the row is still the
version that was read (another process's turn in between means: read again and
run again). SQLite's write lock is held for that one UPDATE and what the turn
leaves besides (its events and effects), not for the whole turn, so turns of
different sessions do not wait for each other. Two turns on one session therefore
never lose each other's changes, and a turn that fails leaves the session, and
every other table, exactly as it was.

A turn may carry the caller's turn id: its answer is kept with it, and the same
id again (a retry after a lost answer) gets that answer without running twice.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import sqlite_utils

from skills.dialogue.state import DialogueState
from skills.storage import ThreadConnections, writing

DEFAULT_IDLE_S = float(os.environ.get("VOICESHOP_SESSION_IDLE_S", 30 * 60))
T = TypeVar("T")


class UnknownSessionError(KeyError):
    """The session id names no live session (never created, expired or erased)."""

    def __str__(self) -> str:
        return str(self.args[0])


MAX_ATTEMPTS = 20
WRITE_LOCKS: dict[str, threading.Lock] = {}  # per database file, shared in the process


class SessionBusyError(RuntimeError):
    """Other processes kept changing the session while this turn ran."""


@dataclass(frozen=True)
class Repeated:
    """A turn id the session has already applied: what that turn answered."""

    answer: dict


class SessionStore:
    """Sessions in the SQLite file at `path`; one connection per thread."""

    def __init__(self, path: str, idle_s: float = DEFAULT_IDLE_S) -> None:
        self.path = path
        self.idle_s = idle_s
        self._conn = ThreadConnections(path).get
        self._write_lock = WRITE_LOCKS.setdefault(os.path.abspath(path), threading.Lock())
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        sqlite_utils.Database(self._conn())["sessions"].create(
            {
                "id": str,
                "lang": str,
                "state": str,
                "created_at": float,
                "updated_at": float,
                "version": int,
            },
            pk="id",
            if_not_exists=True,
        )
        sqlite_utils.Database(self._conn())["turns"].create(
            {"session_id": str, "turn_id": str, "answer": str, "at": float},
            pk=("session_id", "turn_id"),
            if_not_exists=True,
        )

    def create(self, lang: str, context: dict | None = None) -> str:
        """A new session; `context` is what is known of the shopper's arrival."""
        session_id = uuid.uuid4().hex
        self.start_named(session_id, lang, context)
        return session_id

    def start_named(self, session_id: str, lang: str, context: dict | None = None) -> bool:
        """Starts the session a caller names, on first use or afresh once expired;
        False when it is live already (two first turns at once share one session)."""
        now = time.time()
        fresh = DialogueState(lang=lang, context=context or {})
        state = json.dumps(fresh.to_dict(), ensure_ascii=False)
        with writing(self._conn()) as conn:
            started = conn.execute(
                "INSERT INTO sessions (id, lang, state, created_at, updated_at, version) "
                "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO UPDATE SET "
                "lang = excluded.lang, state = excluded.state, created_at = excluded.created_at, "
                "updated_at = excluded.updated_at, version = sessions.version + 1 "
                "WHERE sessions.updated_at < ?",
                [session_id, lang, state, now, now, now - self.idle_s],
            ).rowcount
            if started:  # an expired session's kept answers go with it
                conn.execute("DELETE FROM turns WHERE session_id = ?", [session_id])
        return bool(started)

    def live(self, session_id: str) -> bool:
        try:
            self._load(session_id)
        except UnknownSessionError:
            return False
        return True

    def load(self, session_id: str) -> DialogueState:
        return self._load(session_id)[0]

    def _load(self, session_id: str) -> tuple[DialogueState, int]:
        row = (
            self._conn()
            .execute("SELECT state, updated_at, version FROM sessions WHERE id = ?", [session_id])
            .fetchone()
        )
        if row is None:
            raise UnknownSessionError(f"Unknown session '{session_id}': start a new one.")
        if time.time() - row[1] > self.idle_s:
            raise UnknownSessionError(
                f"Session '{session_id}' expired after {self.idle_s / 60:g} minutes "
                "without activity: start a new one."
            )
        return DialogueState.from_dict(json.loads(row[0])), row[2]

    def turn(
        self,
        session_id: str,
        handler: Callable[[DialogueState], T],
        on_saved: Callable[[sqlite3.Connection, T], None] | None = None,
        turn_id: str | None = None,
        answer: Callable[[T], dict] | None = None,
    ) -> T | Repeated:
        """Run `handler` on the session's state and keep its changes only if it returns.
        `on_saved` writes what the turn leaves besides the state (its events and
        effects) in the same transaction as the state: all are kept, or none. With
        `turn_id`, `answer(result)` is kept too, and a turn id already kept returns
        `Repeated` with it instead of running again."""
        with self._lock_for(session_id):
            for _ in range(MAX_ATTEMPTS):
                if turn_id and (kept := self._answered(session_id, turn_id)) is not None:
                    return Repeated(kept)
                state, version = self._load(session_id)
                result = handler(state)
                saved = json.dumps(state.to_dict(), ensure_ascii=False)
                record = (turn_id, json.dumps(answer(result))) if turn_id and answer else None
                also = functools.partial(on_saved, result=result) if on_saved else None
                if self._save(session_id, version, saved, state.lang, also, record):
                    return result
            raise SessionBusyError(f"Session '{session_id}' is too busy: try the turn again.")

    def _answered(self, session_id: str, turn_id: str) -> dict | None:
        row = (
            self._conn()
            .execute(
                "SELECT answer FROM turns WHERE session_id = ? AND turn_id = ?",
                [session_id, turn_id],
            )
            .fetchone()
        )
        return json.loads(row[0]) if row else None

    def _save(
        self,
        session_id: str,
        version: int,
        state: str,
        lang: str,
        also: Callable[[sqlite3.Connection], None] | None,
        record: tuple[str, str] | None = None,
    ) -> bool:
        """Writes the state if the row is still at `version`, with the turn's `record`
        (its id and answer) and `also`, in one transaction: `also` comes last, as an
        erasure it holds must take the record with the rest. One writer per process at
        a time: threads queue on a lock, in order, rather than in SQLite's busy
        handler, whose back-off sleeps up to 100 ms while the lock is free again
        within a millisecond; another process's writer is waited for in short steps
        (`_begin_immediate`) for the same reason."""
        conn = self._conn()
        with self._write_lock:
            _begin_immediate(conn)
            with conn:  # commits, or rolls back if anything below fails
                saved = conn.execute(
                    "UPDATE sessions SET state = ?, lang = ?, updated_at = ?, "
                    "version = version + 1 WHERE id = ? AND version = ?",
                    [state, lang, time.time(), session_id, version],
                ).rowcount
                if saved and record:
                    conn.execute(
                        "INSERT INTO turns (session_id, turn_id, answer, at) VALUES (?, ?, ?, ?)",
                        [session_id, *record, time.time()],
                    )
                if saved and also:
                    also(conn)
        return bool(saved)

    def expire(self) -> int:
        """Delete sessions idle for longer than the limit, and their turns' answers;
        returns how many sessions."""
        with writing(self._conn()) as conn:
            expired = conn.execute(
                "DELETE FROM sessions WHERE updated_at < ?", [time.time() - self.idle_s]
            ).rowcount
            conn.execute("DELETE FROM turns WHERE session_id NOT IN (SELECT id FROM sessions)")
        return expired

    def _lock_for(self, session_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(session_id, threading.Lock())


def _begin_immediate(conn: sqlite3.Connection, patience_s: float = 30.0) -> None:
    """BEGIN IMMEDIATE, waiting for another process's write in steps of a fraction of
    a millisecond, growing to 5 ms: SQLite's own busy handler sleeps 25 to 100 ms at
    a time once it has waited a little, which is most of a turn's tail latency."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        deadline, pause = time.monotonic() + patience_s, 0.0002
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 1.5, 0.005)
    finally:
        conn.execute("PRAGMA busy_timeout = 30000")
