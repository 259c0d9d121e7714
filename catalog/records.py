"""One product as every importer hands it over, validated before it is stored.

Importers only map their format's columns onto these keys; the rules for what
makes a row good (and the reason given when it is not) live here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

CURRENCY_CODE = re.compile(r"[A-Z]{3}")
CURRENCY_IN_TEXT = re.compile(r"\b([A-Z]{3})\b")
NOT_NUMERIC = re.compile(r"[^\d.,-]")
THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
DECIMAL_COMMA = re.compile(r"-?\d+,\d{1,2}")
PATH_SEPARATOR = re.compile(r"\s*[/>]\s*")


class RowError(ValueError):
    """A catalogue row that cannot be imported; the message is the reason."""


@dataclass
class Variant:
    sku: str
    colour: str = ""
    size: str = ""
    price: float | None = None
    stock: int | None = None  # None: the shop does not track it (sold as available)


@dataclass
class Product:
    id: str
    title_en: str
    price: float
    currency: str = "EUR"
    title_fr: str = ""
    brand: str = ""
    categories: list[str] = field(default_factory=list)
    stock: int | None = None  # None: not tracked
    rating: float | None = None
    description_en: str = ""
    description_fr: str = ""
    variants: list[Variant] = field(default_factory=list)

    def row(self, source: str) -> dict:
        colours = sorted({v.colour.lower() for v in self.variants if v.colour})
        sizes = _ordered_unique(v.size for v in self.variants if v.size)
        stock = total_stock([v.stock for v in self.variants]) if self.variants else self.stock
        return {
            "id": self.id,
            "title_en": self.title_en,
            "title_fr": self.title_fr or None,
            "brand": self.brand or None,
            "category": self.categories[0] if self.categories else None,
            "categories": " | ".join(self.categories) or None,
            "price": self.price,
            "currency": self.currency,
            "stock": stock,
            "rating": self.rating,
            "description_en": self.description_en or None,
            "description_fr": self.description_fr or None,
            "colours": ", ".join(colours) or None,
            "sizes": ", ".join(sizes) or None,
            "source": source,
        }

    def variant_rows(self) -> list[dict]:
        return [
            {
                "sku": v.sku,
                "product_id": self.id,
                "colour": v.colour or None,
                "size": v.size or None,
                "price": self.price if v.price is None else v.price,
                "stock": v.stock,
            }
            for v in self.variants
        ]


def parse_price(value: object) -> tuple[float, str | None]:
    """A price as given by feeds: 49.99, "49,99", "49.99 EUR", "€49.99", "$1,299.00"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        amount, currency = float(value), None
    else:
        text = str(value or "").strip()
        if not text:
            raise RowError("price is missing")
        try:  # the common case: a plain number
            return _checked_price(float(text), value), None
        except ValueError:
            pass
        currency = None
        match = CURRENCY_IN_TEXT.search(text)
        if match:
            currency = match[1]
        for symbol, code in (("€", "EUR"), ("$", "USD"), ("£", "GBP")):
            if symbol in text:
                currency = code
        digits = NOT_NUMERIC.sub("", text)
        if THOUSANDS.fullmatch(digits):
            digits = digits.replace(",", "")
        elif DECIMAL_COMMA.fullmatch(digits):
            digits = digits.replace(",", ".")
        try:
            amount = float(digits)
        except ValueError:
            raise RowError(f"price {text!r} is not a number") from None
    return _checked_price(amount, value), currency


def _checked_price(amount: float, value: object) -> float:
    if amount != amount or amount < 0 or amount == float("inf"):  # NaN, negative, infinite
        raise RowError(f"price {value!r} is negative or not a number")
    return round(amount, 2)


def total_stock(stocks: list[int | None]) -> int | None:
    """Stock over variants: not tracked when any of them is not."""
    return None if None in stocks else sum(stocks)  # type: ignore[arg-type]


def parse_stock(value: object) -> int | None:
    """A stock count; an empty cell or no stock column is None: not tracked, which a
    shop means as available (a flat export has no quantities)."""
    if type(value) is int and value >= 0:  # the common case in JSON feeds, checked first
        return value
    if value in (None, ""):
        return None
    try:
        stock = int(float(str(value).strip()))
    except ValueError:
        raise RowError(f"stock {value!r} is not a whole number") from None
    if stock < 0:
        raise RowError(f"stock {value!r} is negative")
    return stock


def parse_rating(value: object) -> float | None:
    if value in (None, ""):
        return None
    try:
        rating = float(str(value).replace(",", "."))
    except ValueError:
        raise RowError(f"rating {value!r} is not a number") from None
    if not 0 <= rating <= 5:
        raise RowError(f"rating {value!r} is outside 0–5")
    return rating


def category_paths(value: object) -> list[str]:
    """Category paths as "A > B > C", from "A/B/C,D/E", "A > B" or one level per line."""
    if not value:
        return []
    if isinstance(value, list):
        raw = [str(v) for v in value]
    else:
        text = str(value).strip()
        if "\n" in text:
            raw = [" > ".join(line.strip() for line in text.splitlines() if line.strip())]
        elif "/" in text:
            raw = text.split(",")
        else:
            raw = text.split("|")
    paths = []
    for path in raw:
        parts = [p.strip() for p in PATH_SEPARATOR.split(path) if p.strip()]
        if parts and parts[0].lower() == "default category":
            parts = parts[1:]
        if parts and " > ".join(parts) not in paths:
            paths.append(" > ".join(parts))
    return paths


def build_product(fields: dict, default_currency: str = "EUR") -> Product:
    """Validate one importer's mapped fields into a Product, or raise RowError."""
    product_id = str(fields.get("id") or "").strip()
    if not product_id:
        raise RowError("id/sku is missing")
    title_en = clean_text(fields.get("title_en"))
    title_fr = clean_text(fields.get("title_fr"))
    if not title_en and not title_fr:
        raise RowError("title is missing")
    price, currency = parse_price(fields.get("price"))
    currency = (fields.get("currency") or currency or default_currency).upper()
    if not CURRENCY_CODE.fullmatch(currency):
        raise RowError(f"currency {currency!r} is not a three-letter code")
    return Product(
        id=product_id,
        title_en=title_en or title_fr,
        title_fr=title_fr,
        price=price,
        currency=currency,
        brand=clean_text(fields.get("brand")),
        categories=category_paths(fields.get("category")),
        stock=parse_stock(fields.get("stock")),
        rating=parse_rating(fields.get("rating")),
        description_en=clean_text(fields.get("description_en")),
        description_fr=clean_text(fields.get("description_fr")),
        variants=list(fields.get("variants") or []),
    )


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("p", "br", "li", "div"):
            self.parts.append(" ")


def clean_text(value: object) -> str:
    """Plain text: HTML tags dropped, entities decoded, white space folded."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text and ">" in text:
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    elif "&" in text:
        text = unescape(text)
    return " ".join(text.split())


def _ordered_unique(values) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
