"""Transcripts are kept only for the shop's retention period (`retention_days` in
the privacy settings): `purge` removes older conversation text wherever it is —
idle sessions, the words of turns not understood in the event log, complaint
tickets' and hand-offs' conversations, advisers' messages, the answers kept for
retried turns. The figures the funnel needs (events without words, orders,
invoices) stay. Contact details that older versions wrote into the event log
(lead answers, callback numbers) are removed whatever their age."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

DAY_S = 86_400.0


@dataclass
class Purged:
    sessions: int
    event_texts: int
    ticket_transcripts: int
    handoff_transcripts: int
    contact_details: int  # lead answers and phone numbers older versions logged

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def purge(conn: sqlite3.Connection, days: float, now: float | None = None) -> Purged:
    """Removes conversation text older than `days`, in one transaction."""
    cutoff = (time.time() if now is None else now) - days * DAY_S
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    counts = Purged(0, 0, 0, 0, 0)
    conn.execute("BEGIN IMMEDIATE")
    with conn:
        if "sessions" in tables:
            counts.sessions = conn.execute(
                "DELETE FROM sessions WHERE updated_at < ?", [cutoff]
            ).rowcount
        if "events" in tables:
            counts.event_texts = conn.execute(
                "UPDATE events SET data = json_remove(data, '$.text') "
                "WHERE at < ? AND json_extract(data, '$.text') IS NOT NULL",
                [cutoff],
            ).rowcount
        if "events" in tables:  # never the event log's to hold: gone at once
            counts.contact_details = conn.execute(
                "UPDATE events SET data = json_remove(data, '$.value', '$.phone') "
                "WHERE kind IN ('lead_field', 'callback') "
                "AND (json_extract(data, '$.value') IS NOT NULL "
                "OR json_extract(data, '$.phone') IS NOT NULL)"
            ).rowcount
        if "turns" in tables:
            conn.execute("DELETE FROM turns WHERE at < ?", [cutoff])
        if "tickets" in tables:
            counts.ticket_transcripts = conn.execute(
                "UPDATE tickets SET transcript = '[]' WHERE created_at < ? AND transcript != '[]'",
                [cutoff],
            ).rowcount
        if "handoffs" in tables:
            counts.handoff_transcripts = conn.execute(
                "UPDATE handoffs SET transcript = '[]', summary = '' "
                "WHERE created_at < ? AND transcript != '[]'",
                [cutoff],
            ).rowcount
        if "agent_messages" in tables:
            conn.execute("DELETE FROM agent_messages WHERE at < ?", [cutoff])
    return counts
