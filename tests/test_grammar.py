"""Replies agree with the product they are about: every French reply template that
names a product, rendered for every demo product, checked against genders and
plurals written here by hand (the code reads them from the DELA lexicon); and
English plurals and verbs."""

from __future__ import annotations

import re
import string

import pytest

from catalog.demo import generate
from catalog.morphology import Form, agreed, title_form
from skills.dialogue.phrases import Phrases
from skills.dialogue.proposing import spoken_group

# The demo's French product types: gender and number, and their plural, by hand.
TYPES = {
    "T-shirt": ("ms", "T-shirts"),
    "Sweat à capuche": ("ms", "Sweats à capuche"),
    "Jean": ("ms", "Jeans"),
    "Manteau d'hiver": ("ms", "Manteaux d'hiver"),
    "Robe": ("fs", "Robes"),
    "Veste de pluie": ("fs", "Vestes de pluie"),
    "Pull en laine": ("ms", "Pulls en laine"),
    "Écharpe": ("fs", "Écharpes"),
    "Chaussures de running": ("fp", "Chaussures de running"),
    "Baskets": ("fp", "Baskets"),
    "Bottes d'hiver": ("fp", "Bottes d'hiver"),
    "Chaussures de randonnée": ("fp", "Chaussures de randonnée"),
    "Sandales": ("fp", "Sandales"),
    "Chaussons": ("mp", "Chaussons"),
    "Casque sans fil": ("ms", "Casques sans fil"),
    "Enceinte Bluetooth": ("fs", "Enceintes Bluetooth"),
    "Smartphone": ("ms", "Smartphones"),
    "Tablette": ("fs", "Tablettes"),
    "Montre connectée": ("fs", "Montres connectées"),
    "Ordinateur portable": ("ms", "Ordinateurs portables"),
    "Chargeur de téléphone": ("ms", "Chargeurs de téléphone"),
    "Écouteurs": ("mp", "Écouteurs"),
    "Cafetière": ("fs", "Cafetières"),
    "Lampe de table": ("fs", "Lampes de table"),
    "Serviette de bain": ("fs", "Serviettes de bain"),
    "Couette": ("fs", "Couettes"),
    "Poêle": ("fs", "Poêles"),
    "Bouilloire": ("fs", "Bouilloires"),
    "Panier de rangement": ("ms", "Paniers de rangement"),
    "Café en grains bio": ("ms", "Cafés en grains bio"),
    "Chocolat noir": ("ms", "Chocolats noirs"),
    "Huile d'olive": ("fs", "Huiles d'olive"),
    "Thé vert": ("ms", "Thés verts"),
    "Pâtes": ("fp", "Pâtes"),
    "Miel": ("ms", "Miels"),
    "Lait": ("ms", "Laits"),
    "Crème visage": ("fs", "Crèmes visage"),
    "Shampooing": ("ms", "Shampooings"),
    "Parfum": ("ms", "Parfums"),
    "Rouge à lèvres": ("ms", "Rouges à lèvres"),
    "Crème solaire": ("fs", "Crèmes solaires"),
    "Sèche-cheveux": ("ms", "Sèche-cheveux"),
    "Tapis de yoga": ("ms", "Tapis de yoga"),
    "Haltères": ("mp", "Haltères"),
    "Raquette de tennis": ("fs", "Raquettes de tennis"),
    "Ballon de football": ("ms", "Ballons de football"),
    "Veste de ski": ("fs", "Vestes de ski"),
    "Casque de vélo": ("ms", "Casques de vélo"),
    "Gourde": ("fs", "Gourdes"),
    "Jeu de construction": ("ms", "Jeux de construction"),
    "Ours en peluche": ("ms", "Ours en peluche"),
    "Jeu de société": ("ms", "Jeux de société"),
    "Voiture télécommandée": ("fs", "Voitures télécommandées"),
    "Puzzle": ("ms", "Puzzles"),
    "Poupée": ("fs", "Poupées"),
}
# The demo's style adjectives: masculine, feminine, masculine plural, feminine plural.
STYLES = {
    "classique": ("classique", "classique", "classiques", "classiques"),
    "essentiel": ("essentiel", "essentielle", "essentiels", "essentielles"),
    "léger": ("léger", "légère", "légers", "légères"),
    "pro": ("pro",) * 4,
    "premium": ("premium",) * 4,
    "éco": ("éco",) * 4,
}
COUNTED = {"added", "added_variant", "quantity_changed", "cart_item"}  # get "2 vestes…"
INDEX = {"ms": 0, "fs": 1, "mp": 2, "fp": 3}
PRODUCTS = list(generate())


def _type_of(title: str) -> str:
    return max((t for t in TYPES if title.startswith(t + " ")), key=len)


def _article(kind: str, code: str) -> str:
    if code.endswith("p"):
        return "les "
    if kind[0].lower() in "aeiouéèh" and kind != "Haltères":
        return "l'"
    return "le " if code == "ms" else "la "


def _templates(phrases: Phrases) -> list[tuple[str, str]]:
    found = []
    for key, value in phrases.responses.items():
        for text in value if isinstance(value, list) else [value]:
            if "{title}" in text or "{the_title}" in text:
                found.append((key, text))
    return found


def _values(template: str) -> dict[str, str]:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {name: f"<{name}>" for name in names - {"the_title"}}


def test_the_demo_catalogue_names_every_type_the_test_knows():
    assert {_type_of(p.title_fr) for p in PRODUCTS} == set(TYPES)


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_the_lexicon_gives_each_demo_type_its_gender_number_and_plural(kind):
    code, plural = TYPES[kind]
    form = title_form(kind)
    assert ("f" if form.feminine else "m") + ("p" if form.plural else "s") == code
    assert agreed(kind, Form(form.feminine, plural=True)) == plural


def test_demo_titles_agree_with_their_noun():
    for product in PRODUCTS:
        kind = _type_of(product.title_fr)
        code = TYPES[kind][0]
        style = product.title_fr[len(kind) + 1 :].split(" ")[0]
        forms = next(f for f in STYLES.values() if style in f)
        assert style == forms[INDEX[code]], product.title_fr
        assert product.description_fr.startswith(f"{kind} {style} ")


def test_every_french_template_agrees_with_every_demo_product():
    phrases = Phrases("fr")
    templates = _templates(phrases)
    assert len(templates) >= 25
    checked = 0
    for product in PRODUCTS:
        title = product.title_fr
        kind = _type_of(title)
        code, plural = TYPES[kind]
        common = title[0].lower() + title[1:]
        for key, template in templates:
            base = key.split("@")[0]
            values = _values(template)
            if base in COUNTED:
                values["title"] = phrases.counted(title, 2)
                expected = f"2 {plural[0].lower()}{plural[1:]}"
                form_index = INDEX[code[0] + "p"]
            else:
                values["title"] = title
                expected = _article(kind, code) + common if "{the_title}" in template else title
                form_index = INDEX[code]
            chosen = phrases.render(template, values)
            sentence_start = expected[0].upper() + expected[1:]
            assert expected in chosen or sentence_start in chosen, (key, chosen)  # "le sweat"
            for group in re.findall(r"\[\[([^\]]*)\]\]", template):
                options = group.split("|")
                assert options[form_index if len(options) == 4 else 0] in chosen, (key, chosen)
            assert "[[" not in chosen and "  " not in chosen
            checked += 1
    assert checked == len(PRODUCTS) * len(templates)


@pytest.mark.parametrize(
    ("title", "one", "two"),
    [
        (
            "Veste de pluie légère Cotonia",
            "une veste de pluie légère Cotonia",
            "2 vestes de pluie légères Cotonia",
        ),
        (
            "Jeu de société pro Joujou",
            "un jeu de société pro Joujou",
            "2 jeux de société pro Joujou",
        ),
        (
            "Chaussures de running légères Velora",
            "des chaussures de running légères Velora",
            "2 chaussures de running légères Velora",
        ),
        (
            "Écharpe classique Cotonia",
            "une écharpe classique Cotonia",
            "2 écharpes classiques Cotonia",
        ),
    ],
)
def test_french_quantities(title, one, two):
    phrases = Phrases("fr")
    assert phrases.counted(title, 1) == one and phrases.counted(title, 2) == two


def test_french_articles_elide_and_agree():
    phrases = Phrases("fr")
    assert phrases.say("price", title="Écharpe classique Cotonia", price="20 €").startswith(
        "L'écharpe classique Cotonia coûte"
    )
    said = phrases.say(
        "out_of_stock_variant", title="Sandales pro Velora", variant="rouge", others="bleu"
    )
    assert said.startswith("Désolé, les sandales pro Velora ne sont pas disponibles")
    assert "Elles sont disponibles en bleu" in said
    best = phrases.say("feature_best_rated", title="Rouge à lèvres éco Lumière", rating="4,5")
    assert best == ", le mieux noté, 4,5 sur 5"  # a masculine "rouge à lèvres"
    english = phrases.say("price", title="Merino Crew Sweater", price="79 €")
    assert english.startswith("Le Merino Crew Sweater coûte")  # an English title keeps its case
    assert phrases.say("price", title="Enceinte Bluetooth premium Auralis", price="9 €").startswith(
        "L'enceinte Bluetooth premium Auralis"
    )


def test_english_verbs_and_plurals_agree():
    phrases = Phrases("en")
    assert phrases.say("in_stock_many", title="Trailmark Light Sandals") == (
        "Yes, the Trailmark Light Sandals are in stock."
    )
    assert phrases.say("in_stock_many", title="Sonique Premium Laptop") == (
        "Yes, the Sonique Premium Laptop is in stock."
    )
    assert phrases.counted("Sonique Premium Laptop", 2) == "2 Sonique Premium Laptops"
    assert phrases.counted("Trailmark Light Sandals", 1) == "1 Trailmark Light Sandals"
    lacks = phrases.say("lacks_variant", title="Velora Pro Sandals", variant="red", others="blue")
    assert "They come in blue" in lacks and "don't come in red" in lacks


@pytest.mark.parametrize(
    ("titles", "head_last", "group", "apart"),
    [
        (
            ["Urbanfox Classic Hoodie", "Urbanfox Premium Hoodie", "Urbanfox Light Hoodie"],
            True,
            "Urbanfox hoodie",
            ["Classic", "Premium", "Light"],
        ),
        (
            ["Nordwind Light Rain Jacket", "Cotonia Essential Rain Jacket"],
            True,
            "rain jacket",
            ["Nordwind Light", "Cotonia Essential"],
        ),
        (
            ["Veste de pluie légère Nordwind", "Veste de pluie essentielle Cotonia"],
            False,
            "Veste de pluie",
            ["légère Nordwind", "essentielle Cotonia"],
        ),
    ],
)
def test_a_spoken_list_names_what_sets_each_product_apart(titles, head_last, group, apart):
    assert spoken_group(titles, head_last) == (group, apart)


def test_products_of_different_types_are_named_in_full():
    assert spoken_group(["Montagne Eco Water Bottle", "Apexa Premium Football"], True) is None
    assert spoken_group(["Apexa Football", "Apexa Football"], True) is None  # nothing apart


def test_a_french_spoken_list_agrees_with_its_group():
    phrases = Phrases("fr")
    grammar = phrases.grammar
    assert grammar.named("essentielle Cotonia", "Veste de pluie") == "l'essentielle Cotonia"
    assert grammar.named("légère Nordwind", "Veste de pluie") == "la légère Nordwind"
    assert grammar.named("premium Trailmark", "Chaussures de running") == "les premium Trailmark"
    assert grammar.counted("Sweat à capuche Urbanfox", 3) == "3 sweats à capuche Urbanfox"
