"""One product with its variants, as a shop assistant needs it to answer questions."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils


@dataclass
class VariantInfo:
    sku: str
    colour: str
    size: str
    price: float
    stock: int | None  # None: not tracked, sold as available

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0


@dataclass
class ProductInfo:
    id: str
    title_en: str
    title_fr: str
    price: float
    currency: str
    brand: str
    category: str
    stock: int | None  # None: not tracked, sold as available
    rating: float | None
    description_en: str
    description_fr: str
    variants: list[VariantInfo] = field(default_factory=list)

    def title(self, lang: str) -> str:
        return (self.title_fr if lang == "fr" else "") or self.title_en

    @property
    def in_stock(self) -> bool:
        if self.variants:
            return any(v.in_stock for v in self.variants)
        return self.stock is None or self.stock > 0

    def colours(self, in_stock: bool = False) -> list[str]:
        return _unique(v.colour for v in self.variants if v.colour and (v.in_stock or not in_stock))

    def sizes(self, in_stock: bool = False) -> list[str]:
        return _unique(v.size for v in self.variants if v.size and (v.in_stock or not in_stock))

    def matching(self, colour: str | None = None, size: str | None = None) -> list[VariantInfo]:
        """Variants with that colour and/or size (case-insensitive)."""
        return [
            v
            for v in self.variants
            if (not colour or v.colour.lower() == colour.lower())
            and (not size or v.size.lower() == str(size).lower())
        ]


def get_product(db: sqlite_utils.Database, product_id: str) -> ProductInfo | None:
    row = db.execute(
        "SELECT id, title_en, coalesce(title_fr, ''), price, currency, coalesce(brand, ''), "
        "coalesce(category, ''), stock, rating, coalesce(description_en, ''), "
        "coalesce(description_fr, '') FROM products WHERE id = ?",
        [product_id],
    ).fetchone()
    if row is None:
        return None
    variants = [
        VariantInfo(sku, colour or "", size or "", price, stock)
        for sku, colour, size, price, stock in db.execute(
            "SELECT sku, colour, size, price, stock FROM variants WHERE product_id = ? "
            "ORDER BY rowid",
            [product_id],
        )
    ]
    return ProductInfo(*row, variants=variants)


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))
