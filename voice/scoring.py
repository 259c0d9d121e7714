"""Word error rate with one documented normalisation, for both languages.

Before scoring, reference and hypothesis are: lower-cased; a few written forms
spelled as said ("mr." → "mister", "%" → "percent" / "pour cent", "pourcent" →
"pour cent"); apostrophes and hyphens turned into spaces; other punctuation
removed; numbers written in digits spelled out in words (num2words: "80" →
"eighty" / "quatre vingts"); white space folded. jiwer counts the edits.
"""

from __future__ import annotations

import re
import unicodedata

import jiwer
from num2words import num2words

SPOKEN_FORMS = {
    "en": [(r"\bmr\.?(?=\s)", "mister"), (r"\bmrs\.?(?=\s)", "missus"), (r"%", " percent")],
    "fr": [(r"%", " pour cent"), (r"\bpourcent\b", "pour cent"), (r"\bm\.(?=\s)", "monsieur")],
}


def normalize_for_wer(text: str, lang: str = "en") -> str:
    text = unicodedata.normalize("NFC", text.lower())
    for pattern, spoken in SPOKEN_FORMS["fr" if lang.startswith("fr") else "en"]:
        text = re.sub(pattern, spoken, text)
    text = re.sub(r"\d+(?:[.,]\d+)?", lambda m: " " + _number_words(m[0], lang) + " ", text)
    text = re.sub(r"['’\-]", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _number_words(raw: str, lang: str) -> str:
    number = float(raw.replace(",", ".")) if re.search(r"[.,]", raw) else int(raw)
    return num2words(number, lang=lang).replace("-", " ")


def word_errors(reference: str, hypothesis: str, lang: str = "en") -> tuple[int, int]:
    """(edits, reference words) after normalisation."""
    ref = normalize_for_wer(reference, lang)
    hyp = normalize_for_wer(hypothesis, lang)
    if not ref:
        return len(hyp.split()), 0
    out = jiwer.process_words(ref, hyp or "")
    return out.substitutions + out.deletions + out.insertions, len(ref.split())


def corpus_wer(pairs: list[tuple[str, str]], lang: str = "en") -> float:
    """Total edits over total reference words, across all (reference, hypothesis) pairs."""
    edits = words = 0
    for reference, hypothesis in pairs:
        e, w = word_errors(reference, hypothesis, lang)
        edits += e
        words += w
    return edits / words if words else 0.0
