"""Text folding shared by the catalogue's index and its callers."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Accents removed, as the FTS5 tokenizer does: "léa" is known as "lea"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
