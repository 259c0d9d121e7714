"""How the shopper arrived, as the caller tells us (API `context`, CLI flags).

Checked like any input: a caller's mistake is one clear sentence, and nothing
beyond these fields is kept.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class ArrivalError(ValueError):
    """The arrival context is not usable; the message says which field and why."""


class Arrival(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    campaign: str | None = Field(None, max_length=64)
    referrer: str | None = Field(None, max_length=200)
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = Field(None, max_length=64)  # where forecasts are looked up
    timezone: str | None = Field(None, max_length=64)
    customer_id: str | None = Field(None, min_length=1, max_length=64)

    @field_validator("country")
    @classmethod
    def _iso_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value) != 2 or not value.isascii() or not value.isalpha():
            raise ValueError(f"{value!r} is not a two-letter country code such as BE")
        return value.upper()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Paris)") from None
        return value


def parse_arrival(data: object) -> Arrival:
    """`data` as sent by a caller (None: nothing known)."""
    if data is None:
        return Arrival()
    if not isinstance(data, dict):
        raise ArrivalError('context must be an object like {"campaign": "winter-mailing"}.')
    try:
        return Arrival.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "context"
        message = first["msg"].removeprefix("Value error, ")
        raise ArrivalError(f"context.{field}: {message}.") from None
