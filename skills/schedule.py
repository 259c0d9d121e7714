"""When the shop's human advisers answer (`skills/data/advisers.yaml`): whether
they do at a given moment, and the hours as said to a customer."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from babel.dates import format_time, get_day_names

ADVISERS_FILE = Path(__file__).resolve().parent / "data" / "advisers.yaml"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ScheduleError(ValueError):
    """The advisers' hours cannot be read; the message names the file and the day."""


@dataclass(frozen=True)
class AdviserHours:
    timezone: str
    hours: dict[str, tuple[time, time]]  # "mon" → (opens, closes)

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(ZoneInfo(self.timezone))
        span = self.hours.get(DAYS[local.weekday()])
        return bool(span) and span[0] <= local.time() < span[1]

    def describe(self, lang: str, joiner: str) -> str:
        """ "Monday to Friday, 9:00 to 18:00; Saturday, 10:00 to 16:00": days with the
        same hours said together."""
        names = get_day_names("wide", locale=lang)
        groups: list[tuple[list[int], tuple[time, time]]] = []
        for index, day in enumerate(DAYS):
            span = self.hours.get(day)
            if not span:
                continue
            if groups and groups[-1][1] == span and groups[-1][0][-1] == index - 1:
                groups[-1][0].append(index)
            else:
                groups.append(([index], span))
        said = []
        for days, (opens, closes) in groups:
            first, last = names[days[0]], names[days[-1]]
            when = first if len(days) == 1 else f"{first} {joiner} {last}"
            said.append(f"{when}, {_clock(opens, lang)} {joiner} {_clock(closes, lang)}")
        return "; ".join(said)


def _clock_time(text: str) -> time:
    text = text.strip()
    return time.max if text == "24:00" else time.fromisoformat(text)


def _clock(moment: time, lang: str) -> str:
    return format_time(moment, "H:mm", locale=lang)


def load_hours(path: str | None = None) -> AdviserHours:
    """The advisers' hours, from `path`, else $VOICESHOP_ADVISERS, else the shop's file."""
    file = Path(path or os.environ.get("VOICESHOP_ADVISERS") or ADVISERS_FILE)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ScheduleError(f"{file}: cannot read the advisers' hours ({exc}).") from None
    hours = {}
    for day, span in (data.get("hours") or {}).items():
        try:
            opens, closes = (_clock_time(part) for part in str(span).split("-"))
        except ValueError:
            raise ScheduleError(
                f"{file}: advisers.hours.{day}: write it like 09:00-18:00."
            ) from None
        if day not in DAYS or opens >= closes:
            raise ScheduleError(
                f"{file}: advisers.hours.{day}: not a day, or closes before it opens."
            )
        hours[day] = (opens, closes)
    return AdviserHours(str(data.get("timezone", "Europe/Paris")), hours)
