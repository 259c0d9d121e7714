"""Text as the matcher compares it: lower case, plain apostrophes, numbers as digits.

Spelled numbers ("a hundred and twenty", "quatre-vingt-dix") become digits
through text2num; the small ones (one, two, un, deux) are left as words because
"this one" or "une robe" are not quantities — the slot extractor decides.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_KEEP = re.compile(r"[^\w\s'€$£{}.,-]")
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[.,!?;:]+(\s|$)")
_CURRENCY_SIGN = re.compile(r"([€$£])")
_A_HUNDRED = re.compile(r"\b(?:a|an)\s+(hundred|thousand)\b")  # text2num keeps the "a"
_BETWEEN_AND = {
    "en": (re.compile(r"(\bbetween\s+(?!the\b)\S+(?:\s+(?!the\b)\S+){0,3}?)\s+and\s+"), "to"),
    "fr": (
        re.compile(r"(\bentre\s+(?!les?\b|la\b)\S+(?:\s+(?!les?\b|la\b)\S+){0,3}?)\s+et\s+"),
        "à",
    ),
}


def normalize_text(text: str, lang: str, keep_braces: bool = False) -> str:
    """Lower-cased, punctuation folded, spelled numbers as digits."""
    text = text.translate(_APOSTROPHES).lower()
    if not keep_braces:
        text = text.replace("{", " ").replace("}", " ")
        if lang in _BETWEEN_AND:  # "between three hundred and five hundred": two numbers
            pattern, joiner = _BETWEEN_AND[lang]
            text = pattern.sub(rf"\1 {joiner} ", text)
        if lang == "en":
            text = _A_HUNDRED.sub(r"one \1", text)
        text = alpha2digit(text, lang)
    text = _KEEP.sub(" ", text)
    text = _TRAILING.sub(r"\1", text)
    text = _CURRENCY_SIGN.sub(r" \1 ", text)
    return _SPACES.sub(" ", text).strip()
