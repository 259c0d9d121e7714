"""Which of our variant axes a platform's option or attribute name stands for.

Shopify calls them options ("Option1 Name" = "Color"), WooCommerce attributes
("Attribute 1 name" = "Size"); shops name them in their own language.
"""

from __future__ import annotations

COLOUR_WORDS = frozenset({"color", "colour", "couleur", "colore", "farbe", "coloris"})
SIZE_WORDS = frozenset({"size", "taille", "pointure", "größe", "talla", "taglia"})


def axis_of(name: str) -> str | None:
    """ "colour", "size", or None for an axis voiceshop does not keep (material, style)."""
    words = set(name.strip().lower().replace("-", " ").split())
    if words & COLOUR_WORDS:
        return "colour"
    if words & SIZE_WORDS:
        return "size"
    return None
