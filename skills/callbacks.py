"""Callbacks booked when no adviser is available: when the customer wants to be
called ("tomorrow morning", "demain vers 10 heures") and on which number.

The day is read by dateparser; the hour by the patterns in the language data
(`callback_times`: "at 10", "3 pm", "vers 10 heures") or a part of the day
(`day_parts`: morning → 10:00); a time said without a day is the next one to come.
"""

from __future__ import annotations

import re
import time as clock
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils
from dateparser.date import DateDataParser

from skills.storage import ThreadConnections

AFTERNOON_FROM = 8  # "at 3" said for a callback means 15:00: nobody books 3 am


def callback_time(text: str, lexicon: dict, lang: str, now: datetime, zone: str) -> datetime | None:
    """The moment `text` names, in `zone`, or None when it names none."""
    local_now = now.astimezone(ZoneInfo(zone))
    rest, hour, minute = text.lower(), None, 0
    for pattern in lexicon["callback_times"]:
        found = re.search(pattern, rest)
        if found:
            hour, minute = int(found["h"]), int(found.groupdict().get("m") or 0)
            suffix = (found.groupdict().get("ampm") or "").lower()
            if suffix == "pm" and hour < 12 or not suffix and hour < AFTERNOON_FROM:
                hour += 12
            rest = rest[: found.start()] + " " + rest[found.end() :]
            break
    for pattern, part_hour in lexicon["day_parts"].items():
        found = re.search(pattern, rest)
        if found:
            hour = hour if hour is not None else int(part_hour)
            rest = rest[: found.start()] + " " + rest[found.end() :]
            break
    if hour is None or not 0 <= hour < 24 or not 0 <= minute < 60:
        return None
    rest = " ".join(w for w in rest.split() if w not in lexicon["callback_filler"])
    if rest:
        settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": local_now.replace(tzinfo=None)}
        day = DateDataParser(languages=[lang], settings=settings).get_date_data(rest).date_obj
        if day is None:
            return None
        moment = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    else:
        moment = local_now.replace(tzinfo=None, hour=hour, minute=minute, second=0, microsecond=0)
        if moment <= local_now.replace(tzinfo=None):
            moment += timedelta(days=1)
    return moment.replace(tzinfo=ZoneInfo(zone))


class CallbackBook:
    def __init__(self, path: str) -> None:
        self._conn = ThreadConnections(path).get
        db = sqlite_utils.Database(self._conn())
        if "callbacks" not in db.table_names():
            db["callbacks"].create(
                {
                    "id": int,
                    "at": float,
                    "phone": str,
                    "customer_id": str,
                    "session_id": str,
                    "lang": str,
                    "summary": str,
                    "created_at": float,
                },
                pk="id",
                not_null={"at", "phone", "session_id", "lang", "created_at"},
            )
            db["callbacks"].create_index(["at"])

    def book(
        self,
        at: float,
        phone: str,
        session_id: str,
        lang: str,
        customer_id: str | None,
        summary: str,
    ) -> int:
        return (
            self._conn()
            .execute(
                "INSERT INTO callbacks (at, phone, customer_id, session_id, lang, summary, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [at, phone, customer_id, session_id, lang, summary, clock.time()],
            )
            .lastrowid
        )

    def upcoming(self, since: float | None = None) -> list[dict]:
        cursor = self._conn().execute(
            "SELECT id, at, phone, customer_id, session_id, lang, summary FROM callbacks "
            "WHERE at >= ? ORDER BY at",
            [clock.time() if since is None else since],
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
