"""Relative dates, as said in each language, resolved into intervals in the
customer's time zone: around month and year boundaries and across zones."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from skills.nlu.language import load_language
from skills.nlu.slots import SlotExtractor
from skills.periods import resolve_period


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


# said, lang, now (UTC), zone → first day included, first day excluded, unit
TABLE = [
    (
        "last month",
        "en",
        utc(2026, 3, 10, 9),
        "Europe/Paris",
        date(2026, 2, 1),
        date(2026, 3, 1),
        "month",
    ),
    (
        "last month",
        "en",
        utc(2026, 1, 5, 9),
        "Europe/Paris",
        date(2025, 12, 1),
        date(2026, 1, 1),
        "month",
    ),
    (
        "le mois dernier",
        "fr",
        utc(2026, 1, 5, 9),
        "Europe/Paris",
        date(2025, 12, 1),
        date(2026, 1, 1),
        "month",
    ),
    (
        "this month",
        "en",
        utc(2026, 2, 28, 12),
        "Europe/Paris",
        date(2026, 2, 1),
        date(2026, 3, 1),
        "month",
    ),
    (
        "ce mois-ci",
        "fr",
        utc(2026, 2, 28, 12),
        "Europe/Paris",
        date(2026, 2, 1),
        date(2026, 3, 1),
        "month",
    ),
    (
        "last year",
        "en",
        utc(2026, 1, 1, 12),
        "Europe/Paris",
        date(2025, 1, 1),
        date(2026, 1, 1),
        "year",
    ),
    (
        "l'année dernière",
        "fr",
        utc(2026, 1, 1, 12),
        "Europe/Paris",
        date(2025, 1, 1),
        date(2026, 1, 1),
        "year",
    ),
    (
        "yesterday",
        "en",
        utc(2026, 3, 1, 9),
        "Europe/Paris",
        date(2026, 2, 28),
        date(2026, 3, 1),
        "day",
    ),
    ("hier", "fr", utc(2026, 1, 1, 9), "Europe/Paris", date(2025, 12, 31), date(2026, 1, 1), "day"),
    (
        "avant-hier",
        "fr",
        utc(2026, 3, 10, 9),
        "Europe/Paris",
        date(2026, 3, 8),
        date(2026, 3, 9),
        "day",
    ),
    (
        "two weeks ago",
        "en",
        utc(2026, 1, 7, 9),
        "Europe/Paris",
        date(2025, 12, 22),
        date(2025, 12, 29),
        "week",
    ),
    (
        "il y a deux semaines",
        "fr",
        utc(2026, 1, 7, 9),
        "Europe/Paris",
        date(2025, 12, 22),
        date(2025, 12, 29),
        "week",
    ),
    (
        "last week",
        "en",
        utc(2026, 3, 10, 9),
        "Europe/Paris",
        date(2026, 3, 2),
        date(2026, 3, 9),
        "week",
    ),
    (
        "3 days ago",
        "en",
        utc(2026, 3, 2, 9),
        "Europe/Paris",
        date(2026, 2, 27),
        date(2026, 2, 28),
        "day",
    ),
    # a month named alone: the last one that has begun
    (
        "march",
        "en",
        utc(2026, 3, 10, 9),
        "Europe/Paris",
        date(2026, 3, 1),
        date(2026, 4, 1),
        "month",
    ),
    (
        "mars",
        "fr",
        utc(2026, 2, 10, 9),
        "Europe/Paris",
        date(2025, 3, 1),
        date(2025, 4, 1),
        "month",
    ),
    (
        "december 2024",
        "en",
        utc(2026, 2, 10, 9),
        "Europe/Paris",
        date(2024, 12, 1),
        date(2025, 1, 1),
        "month",
    ),
    # time zones: 23:30 UTC on 31 January is already February in Paris, not in New York
    (
        "last month",
        "en",
        utc(2026, 1, 31, 23, 30),
        "Europe/Paris",
        date(2026, 1, 1),
        date(2026, 2, 1),
        "month",
    ),
    (
        "last month",
        "en",
        utc(2026, 1, 31, 23, 30),
        "America/New_York",
        date(2025, 12, 1),
        date(2026, 1, 1),
        "month",
    ),
    (
        "yesterday",
        "en",
        utc(2026, 1, 1, 3),
        "America/New_York",
        date(2025, 12, 30),
        date(2025, 12, 31),
        "day",
    ),
    (
        "yesterday",
        "en",
        utc(2026, 1, 1, 3),
        "Asia/Tokyo",
        date(2025, 12, 31),
        date(2026, 1, 1),
        "day",
    ),
]


@pytest.mark.parametrize("said, lang, now, zone, first, after, unit", TABLE)
def test_relative_dates(said, lang, now, zone, first, after, unit):
    period = resolve_period(said, lang, now, zone)
    assert period is not None, said
    assert (period.start.date(), period.end.date(), period.unit) == (first, after, unit)
    assert period.start.hour == 0 and str(period.start.tzinfo) == zone
    assert period.contains(period.start) and not period.contains(period.end)


def test_nothing_resolves_to_no_period():
    assert resolve_period("the blue one", "en", utc(2026, 3, 10), "Europe/Paris") is None


@pytest.mark.parametrize(
    "lang, text, said",
    [
        ("en", "i want last month's invoice", "last month's"),
        ("en", "where is my order from 2 weeks ago", "2 weeks ago"),
        ("en", "the invoice for december 2025", "december 2025"),
        ("en", "my order from the past week", "last week"),
        ("en", "add 2 to my cart", None),
        ("en", "the last one", None),
        ("fr", "je veux la facture du mois dernier", "le mois dernier"),
        ("fr", "la facture du mois de mars", "mars"),
        ("fr", "ma commande d'hier", "hier"),
        ("fr", "ma commande de la semaine dernière", "la semaine dernière"),
        ("fr", "la facture de l'an dernier", "l'année dernière"),
        ("fr", "ajoute 2 robes", None),
    ],
)
def test_the_period_slot(lang, text, said):
    data = load_language(lang)
    slots = SlotExtractor(data.lexicon, data.template_words).extract(text).slots
    assert slots.get("period") == said
