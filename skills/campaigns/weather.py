"""Where forecasts come from. `WeatherSource` is the interface a real forecast
service would implement; `FileWeather` reads a JSON file of forecasts per region:

    {"regions": {"lyon": [{"date": "2026-11-24", "conditions": ["snow", "cold"]}]}}

Region names are compared without case. A region or day the file does not
know has no conditions: no rule about the weather fires on a guess.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

WEATHER_FILE = Path(__file__).resolve().parent.parent / "data" / "weather.json"
AHEAD_DAYS = 1  # today and tomorrow: what the shopper will meet on the way out


class WeatherError(ValueError):
    """The forecast file cannot be used; the message names it."""


class WeatherSource(Protocol):
    def conditions(self, region: str, day: date) -> set[str]:
        """Conditions forecast ("snow", "rain", "heat"…) for `region` from `day` on."""
        ...


class FileWeather:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or os.environ.get("VOICESHOP_WEATHER") or WEATHER_FILE)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self._days = {
                region.lower(): {
                    date.fromisoformat(day["date"]): {str(c).lower() for c in day["conditions"]}
                    for day in days
                }
                for region, days in data["regions"].items()
            }
        except OSError as exc:
            message = f"{self.path}: cannot read the forecasts ({exc.strerror})."
            raise WeatherError(message) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise WeatherError(
                f"{self.path}: not a forecast file like "
                '{"regions": {"lyon": [{"date": "2026-11-24", "conditions": ["snow"]}]}} '
                f"({exc})."
            ) from None

    def conditions(self, region: str, day: date) -> set[str]:
        days = self._days.get(region.lower(), {})
        found: set[str] = set()
        for offset in range(AHEAD_DAYS + 1):
            found |= days.get(day + timedelta(days=offset), set())
        return found
