"""How a product title is said inside a sentence, one class a language: with its
article, after a quantity, and the gender and number that the words around it
agree with (`[[is|are]]`, `[[il|elle|ils|elles]]` in the responses)."""

from __future__ import annotations

import re
from typing import Protocol

import inflect

from catalog.morphology import Form, adjective_agreed, agreed, elides, is_noun, title_form

_ENGLISH = inflect.engine()
_CHOICE = re.compile(r"\[\[([^\[\]]*)\]\]")


class Grammar(Protocol):
    def form(self, title: str) -> Form:
        """The gender and number the title's neighbours agree with."""

    def definite(self, title: str) -> str:
        """The title with its definite article: "the …", "la …"."""

    def counted(self, title: str, quantity: int) -> str:
        """The title after its quantity: "2 … Laptops", "une veste …"."""

    def adjective(self, word: str, form: Form) -> str:
        """An adjective agreeing with a title of that form: "la première"."""

    def named(self, words: str, group: str) -> str:
        """One of a group by the words that set it apart, with the group's article:
        "the Classic", "la légère Nordwind", "l'essentielle Cotonia"."""


class EnglishGrammar:
    def form(self, title: str) -> Form:
        words = title.split()
        if words and words[0].isdigit():
            return Form(plural=words[0] != "1")
        return Form(plural=bool(words) and bool(_ENGLISH.singular_noun(words[-1])))

    def definite(self, title: str) -> str:
        return f"the {title}"

    def counted(self, title: str, quantity: int) -> str:
        if not title:
            return str(quantity)
        if quantity == 1:  # "an Apexa Premium Football"; "1 Trailmark Light Sandals"
            return f"1 {title}" if self.form(title).plural else _ENGLISH.a(title)
        *head, last = title.split(" ")
        if not _ENGLISH.singular_noun(last):  # not already plural ("Running Shoes")
            last = _ENGLISH.plural_noun(last)
        return " ".join([str(quantity), *head, last])

    def adjective(self, word: str, form: Form) -> str:
        return word

    def named(self, words: str, group: str) -> str:
        return f"the {words}"


class FrenchGrammar:
    def form(self, title: str) -> Form:
        return title_form(title)

    def definite(self, title: str) -> str:
        form, noun = title_form(title), _common(title)
        if form.plural:
            return f"les {noun}"
        if elides(noun):
            return f"l'{noun}"
        return f"{'la' if form.feminine else 'le'} {noun}"

    def counted(self, title: str, quantity: int) -> str:
        form, noun = title_form(title), _common(title)
        if quantity != 1:
            return f"{quantity} {agreed(noun, Form(form.feminine, plural=True))}"
        if form.plural:  # only said in the plural: "des chaussures"
            return f"des {noun}"
        return f"{'une' if form.feminine else 'un'} {noun}"

    def adjective(self, word: str, form: Form) -> str:
        return adjective_agreed(word, form)

    def named(self, words: str, group: str) -> str:
        form = title_form(group)
        if form.plural:
            return f"les {words}"
        if elides(words):
            return f"l'{words}"
        return f"{'la' if form.feminine else 'le'} {words}"


def _common(title: str) -> str:
    """A French title inside a sentence: its first word, the kind of thing, in
    lower case ("Veste de pluie légère Cotonia" → "veste de pluie légère
    Cotonia"); a word with capitals inside ("iPhone", "USB"), one that is no French
    noun (an English title's "Desiree Fitness Tee"), or a title in English title case
    ("Merino Crew Sweater", though "mérinos" is French) stays."""
    first, _, rest = title.partition(" ")
    if first[1:] != first[1:].lower() or not is_noun(first) or _title_case(rest):
        return title
    return f"{first.lower()} {rest}".strip()


def _title_case(rest: str) -> bool:
    """Whether every word after the first starts with a capital, as English titles do;
    French titles say their kind in lower case ("Enceinte Bluetooth premium Auralis")."""
    words = [w for w in rest.split() if len(w) > 2]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


GRAMMARS: dict[str, Grammar] = {"en": EnglishGrammar(), "fr": FrenchGrammar()}


def choose(text: str, form: Form) -> str:
    """Resolves `[[a|b]]` (singular, plural) and `[[a|b|c|d]]` (masculine,
    feminine, masculine plural, feminine plural) for that form."""

    def pick(match: re.Match) -> str:
        options = match[1].split("|")
        if len(options) == 4:
            return options[form.index]
        if len(options) == 2:
            return options[int(form.plural)]
        raise ValueError(f"An agreement choice has 2 or 4 forms, not {match[0]!r}.")

    return _CHOICE.sub(pick, text)
