"""Relative dates as shoppers say them ("last month", "two weeks ago", "hier",
"en mars") turned into a time interval in the customer's time zone.

dateparser reads the phrase in the shopper's language and tells the date and
its granularity; the interval is the whole unit around that date:

- day ("yesterday", "hier"): that day, 00:00 to the next midnight;
- week ("last week", "il y a deux semaines"): that ISO week, Monday 00:00 to the
  next Monday 00:00;
- month ("last month", "en mars"): the 1st 00:00 to the next 1st 00:00; a month
  named alone is the last one that has begun (in March, "March" is this March);
- year ("last year"): 1 January 00:00 to the next 1 January 00:00.

The start is included and the end excluded. "Now" is the customer's local time,
so near midnight "yesterday" depends on where they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Period:
    start: datetime  # included, in the customer's zone
    end: datetime  # excluded
    unit: str  # day | week | month | year

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def resolve_period(said: str, lang: str, now: datetime, timezone: str) -> Period | None:
    """The interval `said` names, seen from `now` in `timezone`; None if it names none."""
    zone = ZoneInfo(timezone)
    local_now = now.astimezone(zone)
    settings = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": local_now.replace(tzinfo=None)}
    data = DateDataParser(languages=[lang], settings=settings).get_date_data(said)
    if data.date_obj is None:
        return None
    day = data.date_obj.replace(tzinfo=None)
    unit = data.period if data.period in ("week", "month", "year") else "day"
    midnight = datetime(day.year, day.month, day.day)
    if unit == "day":
        start, end = midnight, midnight + timedelta(days=1)
    elif unit == "week":
        start = midnight - timedelta(days=midnight.weekday())
        end = start + timedelta(days=7)
    elif unit == "month":
        start = midnight.replace(day=1)
        if start > local_now.replace(tzinfo=None):  # a month named alone: the last begun
            start -= relativedelta(years=1)
        end = start + relativedelta(months=1)
    else:
        start = midnight.replace(month=1, day=1)
        end = start + relativedelta(years=1)
    return Period(start.replace(tzinfo=zone), end.replace(tzinfo=zone), unit)
