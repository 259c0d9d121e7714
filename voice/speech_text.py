"""Rewrite text the way it must be said before it reaches the synthesiser.

espeak-ng reads "49,99 €" digit by digit in French, says "2e" as "deux e" and
"XL" as a word; prices, decimals, ordinals, percentages, units and clothing
sizes are spelled out here in words (num2words) for English and French.
"""

from __future__ import annotations

import re

from num2words import num2words

_CURRENCIES = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "usd": "USD",
    "£": "GBP",
    "gbp": "GBP",
}
_CURRENCY_WORDS = {
    "en": {"EUR": ("euro", "euros"), "USD": ("dollar", "dollars"), "GBP": ("pound", "pounds")},
    "fr": {"EUR": ("euro", "euros"), "USD": ("dollar", "dollars"), "GBP": ("livre", "livres")},
}
_UNITS = {
    "en": {
        "kg": "kilograms",
        "g": "grams",
        "cm": "centimetres",
        "mm": "millimetres",
        "ml": "millilitres",
        "l": "litres",
        "m": "metres",
        "km": "kilometres",
    },
    "fr": {
        "kg": "kilos",
        "g": "grammes",
        "cm": "centimètres",
        "mm": "millimètres",
        "ml": "millilitres",
        "l": "litres",
        "m": "mètres",
        "km": "kilomètres",
    },
}
_SIZES = {
    "en": {
        "XXS": "double extra small",
        "XS": "extra small",
        "S": "small",
        "M": "medium",
        "L": "large",
        "XL": "extra large",
        "XXL": "double extra large",
        "XXXL": "triple extra large",
    },
    "fr": {
        "XXS": "double extra small",
        "XS": "extra small",
        "S": "small",
        "M": "medium",
        "L": "large",
        "XL": "extra large",
        "XXL": "double extra large",
        "XXXL": "triple extra large",
    },
}
_CENTS = {"en": "cents", "fr": "centimes"}
_PERCENT = {"en": "percent", "fr": "pour cent"}
_POINT = {"en": "point", "fr": "virgule"}

_NUMBER = r"\d{1,3}(?:[ \u202f\u00a0,.]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_SYMBOL = r"[€$£]|EUR|USD|GBP|euros?"
_PRICE_AFTER = re.compile(rf"(?P<num>{_NUMBER})\s?(?P<cur>{_SYMBOL})(?![A-Za-z])", re.I)
_PRICE_BEFORE = re.compile(rf"(?P<cur>[€$£])\s?(?P<num>{_NUMBER})")
_PERCENT_RE = re.compile(rf"(?P<num>{_NUMBER})\s?%")
_UNIT_RE = re.compile(rf"(?P<num>{_NUMBER})\s?(?P<unit>kg|km|cm|mm|ml|g|l|m)\b")
_ORDINAL_FR = re.compile(r"\b(?P<num>\d+)(?P<suf>er|re|ère|e|ème|eme)\b")
_ORDINAL_EN = re.compile(r"\b(?P<num>\d+)(?:st|nd|rd|th)\b")
_SIZE_ALWAYS = re.compile(r"\b(XXXL|XXL|XXS|XL|XS)\b")
_SIZE_AFTER_WORD = re.compile(r"\b(size|sizes|taille|tailles|en)\s+(S|M|L)\b", re.I)
_QUANTITY = re.compile(r"\b(?P<num>\d+)\s?[x×]\s", re.I)
_BARE_NUMBER = re.compile(_NUMBER)
_UNSPOKEN_MARKS = re.compile("[\u2122\u00ae\u00a9\u2120]")  # ™ ® © ℠: written, never said


def normalize_for_speech(text: str, lang: str = "en") -> str:
    """Spell out numbers, prices, ordinals and sizes so espeak-ng says them right."""
    lang = "fr" if lang.startswith("fr") else "en"
    text = _UNSPOKEN_MARKS.sub("", text)
    text = _PRICE_AFTER.sub(lambda m: _say_price(m["num"], m["cur"], lang), text)
    text = _PRICE_BEFORE.sub(lambda m: _say_price(m["num"], m["cur"], lang), text)
    text = _PERCENT_RE.sub(lambda m: f"{_say_number(m['num'], lang)} {_PERCENT[lang]}", text)
    text = _UNIT_RE.sub(lambda m: f"{_say_number(m['num'], lang)} {_UNITS[lang][m['unit']]}", text)
    text = _QUANTITY.sub(lambda m: f"{m['num']} ", text)
    if lang == "fr":
        text = _ORDINAL_FR.sub(lambda m: _say_ordinal_fr(int(m["num"]), m["suf"]), text)
    else:
        text = _ORDINAL_EN.sub(lambda m: num2words(int(m["num"]), lang="en", to="ordinal"), text)
    text = _SIZE_ALWAYS.sub(lambda m: _SIZES[lang][m[1]], text)
    text = _SIZE_AFTER_WORD.sub(lambda m: f"{m[1]} {_SIZES[lang][m[2].upper()]}", text)
    text = _BARE_NUMBER.sub(lambda m: _say_number(m[0], lang), text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _split_number(raw: str, lang: str) -> tuple[int, str | None]:
    """Integer part and decimal digits; ',' is the decimal mark in French, '.' in English,
    and a group of exactly three digits after either mark is a thousands separator."""
    raw = raw.replace("\u202f", " ").replace("\u00a0", " ")
    match = re.fullmatch(r"(?P<int>[\d ,.]*?)(?:(?P<mark>[.,])(?P<dec>\d{1,2}))?", raw)
    if match and match["dec"] is not None:
        return int(re.sub(r"\D", "", match["int"]) or 0), match["dec"]
    if lang == "en" and re.fullmatch(r"\d+\.\d+", raw):
        whole, dec = raw.split(".")
        return int(whole), dec
    if lang == "fr" and re.fullmatch(r"\d+,\d+", raw):
        whole, dec = raw.split(",")
        return int(whole), dec
    return int(re.sub(r"\D", "", raw)), None


def _say_number(raw: str, lang: str) -> str:
    whole, dec = _split_number(raw, lang)
    words = num2words(whole, lang=lang)
    if dec is None:
        return words
    # "2,05" is "deux virgule zéro cinq": say leading zeros, then the rest as a number.
    zeros = len(dec) - len(dec.lstrip("0"))
    rest = dec.lstrip("0")
    spoken = [num2words(0, lang=lang)] * zeros + ([num2words(int(rest), lang=lang)] if rest else [])
    return f"{words} {_POINT[lang]} {' '.join(spoken)}"


def _say_price(raw: str, currency: str, lang: str) -> str:
    code = _CURRENCIES.get(currency.lower(), _CURRENCIES.get(currency, "EUR"))
    whole, dec = _split_number(raw, lang)
    singular, plural = _CURRENCY_WORDS[lang][code]
    unit = singular if whole in (0, 1) else plural
    said = f"{num2words(whole, lang=lang)} {unit}"
    cents = int(dec.ljust(2, "0")) if dec else 0
    if whole == 0 and cents:
        return f"{num2words(cents, lang=lang)} {_CENTS[lang]}"
    if cents:
        said += f" {num2words(cents, lang=lang)}"
    return said


def _say_ordinal_fr(number: int, suffix: str) -> str:
    if number == 1:
        return "première" if suffix in ("re", "ère") else "premier"
    return num2words(number, lang="fr", to="ordinal")
