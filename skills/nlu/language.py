"""Language data for the skill, loaded from `data/<lang>.yaml`.

Sentence templates use Home Assistant's template syntax and are expanded with
hassil (the library Home Assistant uses for the same files) into skeleton
examples such as "show me {colour} {product} {budget}": the matcher compares
what the shopper said, with its slots replaced the same way, to these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from hassil.parse_expression import parse_sentence
from hassil.sample import sample_expression

from skills.nlu.normalize import normalize_text

DATA = Path(__file__).parent / "data"
# A language is a file of language data: adding es.yaml (with its voice) adds Spanish.
LANGUAGES = tuple(sorted(path.stem for path in DATA.glob("*.yaml")))


class UnknownLanguageError(ValueError):
    pass


@dataclass
class LanguageData:
    lang: str
    examples: dict[str, list[str]]  # intent → expanded skeletons
    lexicon: dict
    responses: dict[str, str]
    # intent → each template's own skeletons, so training can sample every template
    by_template: dict[str, list[list[str]]]
    template_words: set[str] = field(default_factory=set)
    word_intents: dict[str, int] = field(default_factory=dict)  # word → how many intents use it
    bias: dict = field(default_factory=dict)  # phrases likely next, by dialogue state
    source: str = ""  # the file's text, which keys the learnt model's cache
    voice: str = ""  # the espeak-ng voice that speaks it
    alexa_invocation: str = ""  # how a shopper opens the skill on Alexa
    understanding: dict = field(default_factory=dict)  # the learnt model's rejection bars


@cache
def load_language(lang: str) -> LanguageData:
    """The parsed and expanded data for one language (cached per process)."""
    if lang not in LANGUAGES:
        raise UnknownLanguageError(
            f"Language '{lang}' is not supported: choose one of {', '.join(LANGUAGES)}."
        )
    source = (DATA / f"{lang}.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(source)
    rules = {name: parse_sentence(text) for name, text in raw["expansion_rules"].items()}
    examples: dict[str, list[str]] = {}
    by_template: dict[str, list[list[str]]] = {}
    words: set[str] = set()
    intents_of: dict[str, set[str]] = {}
    for intent, templates in raw["intents"].items():
        expanded: dict[str, None] = {}
        by_template[str(intent)] = []
        for template in templates:
            own: dict[str, None] = {}
            for text in sample_expression(
                parse_sentence(template).expression, expansion_rules=rules, expand_lists=False
            ):
                skeleton = normalize_text(text, lang, keep_braces=True)
                expanded.setdefault(skeleton, None)
                own.setdefault(skeleton, None)
                for word in skeleton.split():
                    if not word.startswith("{"):
                        words.add(word)
                        # a shop's word in a non-shopping line ("the history of
                        # lipstick") does not make it a sentence word of shopping
                        if intent != "out_of_scope":
                            intents_of.setdefault(word, set()).add(str(intent))
            by_template[str(intent)].append(list(own))
        examples[str(intent)] = list(expanded)
    return LanguageData(
        lang=lang,
        examples=examples,
        by_template=by_template,
        lexicon=raw["lexicon"],
        responses=raw["responses"],
        bias=raw["bias"],
        source=source,
        voice=raw["voice"],
        alexa_invocation=raw["alexa_invocation"],
        understanding=raw["understanding"],
        template_words=words,
        word_intents={word: len(intents) for word, intents in intents_of.items()},
    )
