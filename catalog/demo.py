"""The bundled demo catalogue, generated the same way every time from a seed.

Product types per category (English and French names, price band, sizes,
colours) are crossed with brands and styles; a seeded generator picks the
rest, so `generate(n)` yields the same products on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import sqlite_utils

from catalog.db import product_count
from catalog.importer import ImportReport, store_products
from catalog.morphology import agreed, title_form
from catalog.records import Product, Variant

DEMO_SIZE = 560
SEED = 20261122

CLOTHING_SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
SHOE_SIZES = [str(s) for s in range(36, 47)]
COLOURS = {  # English → French
    "black": "noir",
    "white": "blanc",
    "grey": "gris",
    "navy": "bleu marine",
    "blue": "bleu",
    "red": "rouge",
    "green": "vert",
    "beige": "beige",
    "pink": "rose",
    "yellow": "jaune",
    "brown": "marron",
    "orange": "orange",
}

# category: [(type_en, type_fr, min_price, max_price, sizes, coloured, feature_en, feature_fr)]
TYPES = {
    "Clothing": [
        ("T-shirt", "T-shirt", 9, 35, CLOTHING_SIZES, True, "organic cotton", "coton bio"),
        (
            "Hoodie",
            "Sweat à capuche",
            29,
            79,
            CLOTHING_SIZES,
            True,
            "fleece lined",
            "doublé polaire",
        ),
        (
            "Jeans",
            "Jean",
            35,
            110,
            [str(s) for s in range(36, 48, 2)],
            True,
            "slim fit",
            "coupe slim",
        ),
        (
            "Winter Coat",
            "Manteau d'hiver",
            89,
            260,
            CLOTHING_SIZES,
            True,
            "water resistant",
            "déperlant",
        ),
        ("Dress", "Robe", 29, 140, CLOTHING_SIZES, True, "flowing cut", "coupe fluide"),
        (
            "Rain Jacket",
            "Veste de pluie",
            49,
            160,
            CLOTHING_SIZES,
            True,
            "waterproof",
            "imperméable",
        ),
        (
            "Wool Sweater",
            "Pull en laine",
            39,
            120,
            CLOTHING_SIZES,
            True,
            "merino wool",
            "laine mérinos",
        ),
        ("Scarf", "Écharpe", 15, 60, [], True, "soft knit", "maille douce"),
    ],
    "Shoes": [
        (
            "Running Shoes",
            "Chaussures de running",
            49,
            180,
            SHOE_SIZES,
            True,
            "cushioned sole",
            "semelle amortie",
        ),
        ("Sneakers", "Baskets", 39, 140, SHOE_SIZES, True, "leather upper", "tige en cuir"),
        (
            "Winter Boots",
            "Bottes d'hiver",
            59,
            210,
            SHOE_SIZES,
            True,
            "warm lining",
            "doublure chaude",
        ),
        (
            "Hiking Boots",
            "Chaussures de randonnée",
            69,
            220,
            SHOE_SIZES,
            True,
            "grippy outsole",
            "semelle accrocheuse",
        ),
        ("Sandals", "Sandales", 19, 90, SHOE_SIZES, True, "adjustable straps", "brides réglables"),
        (
            "Slippers",
            "Chaussons",
            12,
            45,
            SHOE_SIZES,
            True,
            "memory foam",
            "mousse à mémoire de forme",
        ),
    ],
    "Electronics": [
        (
            "Wireless Headphones",
            "Casque sans fil",
            39,
            349,
            [],
            True,
            "noise cancelling",
            "réduction de bruit",
        ),
        (
            "Bluetooth Speaker",
            "Enceinte Bluetooth",
            25,
            220,
            [],
            True,
            "12 hour battery",
            "12 heures d'autonomie",
        ),
        ("Smartphone", "Smartphone", 149, 999, [], True, "128 GB storage", "128 Go de stockage"),
        ("Tablet", "Tablette", 129, 799, [], False, "10 inch screen", "écran 10 pouces"),
        (
            "Smartwatch",
            "Montre connectée",
            59,
            399,
            [],
            True,
            "heart rate monitor",
            "cardiofréquencemètre",
        ),
        ("Laptop", "Ordinateur portable", 399, 1899, [], False, "16 GB memory", "16 Go de mémoire"),
        (
            "Phone Charger",
            "Chargeur de téléphone",
            9,
            49,
            [],
            True,
            "fast charging",
            "charge rapide",
        ),
        ("Earbuds", "Écouteurs", 19, 249, [], True, "wireless case", "boîtier sans fil"),
    ],
    "Home": [
        ("Coffee Maker", "Cafetière", 29, 249, [], True, "programmable", "programmable"),
        ("Table Lamp", "Lampe de table", 19, 120, [], True, "dimmable", "variateur"),
        ("Bath Towel", "Serviette de bain", 9, 39, [], True, "extra absorbent", "très absorbante"),
        (
            "Duvet",
            "Couette",
            39,
            199,
            ["single", "double", "king"],
            False,
            "all seasons",
            "toutes saisons",
        ),
        ("Frying Pan", "Poêle", 15, 89, ["24 cm", "28 cm"], False, "non-stick", "antiadhésive"),
        ("Kettle", "Bouilloire", 19, 99, [], True, "1.7 litre", "1,7 litre"),
        ("Storage Basket", "Panier de rangement", 9, 45, [], True, "woven seagrass", "jonc tressé"),
    ],
    "Grocery": [
        (
            "Organic Coffee Beans",
            "Café en grains bio",
            6,
            24,
            ["250 g", "500 g", "1 kg"],
            False,
            "fair trade",
            "commerce équitable",
        ),
        (
            "Dark Chocolate",
            "Chocolat noir",
            2,
            9,
            [],
            False,
            "70 percent cocoa",
            "70 pour cent de cacao",
        ),
        (
            "Olive Oil",
            "Huile d'olive",
            5,
            25,
            ["50 cl", "1 l"],
            False,
            "extra virgin",
            "vierge extra",
        ),
        ("Green Tea", "Thé vert", 3, 15, [], False, "loose leaf", "en vrac"),
        ("Pasta", "Pâtes", 1, 6, ["500 g", "1 kg"], False, "durum wheat", "blé dur"),
        ("Honey", "Miel", 4, 18, [], False, "local flowers", "fleurs locales"),
        ("Milk", "Lait", 1, 3, ["1 l", "6 x 1 l"], False, "semi-skimmed", "demi-écrémé"),
    ],
    "Beauty": [
        ("Face Cream", "Crème visage", 9, 79, [], False, "hydrating", "hydratante"),
        ("Shampoo", "Shampooing", 4, 25, [], False, "for dry hair", "pour cheveux secs"),
        (
            "Perfume",
            "Parfum",
            29,
            149,
            ["30 ml", "50 ml", "100 ml"],
            False,
            "floral notes",
            "notes florales",
        ),
        ("Lipstick", "Rouge à lèvres", 8, 39, [], True, "long lasting", "longue tenue"),
        ("Sunscreen", "Crème solaire", 7, 29, [], False, "SPF 50", "SPF 50"),
        ("Hair Dryer", "Sèche-cheveux", 19, 149, [], True, "ionic", "ionique"),
    ],
    "Sports": [
        ("Yoga Mat", "Tapis de yoga", 15, 79, [], True, "non-slip", "antidérapant"),
        (
            "Dumbbells",
            "Haltères",
            19,
            149,
            ["2 kg", "5 kg", "10 kg"],
            False,
            "rubber coated",
            "revêtement caoutchouc",
        ),
        (
            "Tennis Racket",
            "Raquette de tennis",
            29,
            229,
            [],
            True,
            "graphite frame",
            "cadre en graphite",
        ),
        (
            "Football",
            "Ballon de football",
            12,
            49,
            ["4", "5"],
            True,
            "match quality",
            "qualité match",
        ),
        ("Ski Jacket", "Veste de ski", 99, 349, CLOTHING_SIZES, True, "insulated", "isolée"),
        ("Bike Helmet", "Casque de vélo", 25, 129, ["S", "M", "L"], True, "ventilated", "ventilé"),
        ("Water Bottle", "Gourde", 8, 35, [], True, "insulated steel", "inox isotherme"),
    ],
    "Toys": [
        ("Building Blocks", "Jeu de construction", 15, 99, [], False, "500 pieces", "500 pièces"),
        ("Teddy Bear", "Ours en peluche", 9, 45, [], True, "extra soft", "tout doux"),
        (
            "Board Game",
            "Jeu de société",
            15,
            59,
            [],
            False,
            "for the whole family",
            "pour toute la famille",
        ),
        (
            "Remote Control Car",
            "Voiture télécommandée",
            25,
            129,
            [],
            True,
            "rechargeable",
            "rechargeable",
        ),
        ("Jigsaw Puzzle", "Puzzle", 9, 35, ["500", "1000"], False, "1000 pieces", "1000 pièces"),
        ("Doll", "Poupée", 12, 59, [], False, "with accessories", "avec accessoires"),
    ],
}
BRANDS = {
    "Clothing": ["Nordwind", "Maison Léa", "Urbanfox", "Cotonia"],
    "Shoes": ["Stridex", "Trailmark", "Pas de Loup", "Velora"],
    "Electronics": ["Voltari", "Sonique", "Pixelon", "Auralis"],
    "Home": ["Casa Verde", "Hearthly", "Maison Douce", "Kitchenor"],
    "Grocery": ["Terroir d'Or", "Green Valley", "Bio Soleil", "Fermeline"],
    "Beauty": ["Lumière", "Purelle", "Aquaderm", "Floressence"],
    "Sports": ["Apexa", "Montagne", "Fitlane", "Kinetic"],
    "Toys": ["Joujou", "Brickly", "Playnest", "Petit Génie"],
}
STYLES = [
    ("Classic", "classique"),
    ("Essential", "essentiel"),
    ("Pro", "pro"),
    ("Premium", "premium"),
    ("Eco", "éco"),
    ("Light", "léger"),
]


def generate(count: int = DEMO_SIZE, seed: int = SEED) -> Iterator[Product]:
    """`count` demo products, identical for the same seed."""
    rng = random.Random(seed)
    combos = [
        (cat, t, brand, style)
        for cat, types in TYPES.items()
        for t in types
        for brand in BRANDS[cat]
        for style in STYLES
    ]
    rng.shuffle(combos)
    for index in range(count):
        category, kind, brand, style = combos[index % len(combos)]
        yield _product(rng, index, category, kind, brand, style, index // len(combos))


def _product(
    rng: random.Random,
    index: int,
    category: str,
    kind: tuple,
    brand: str,
    style: tuple,
    edition: int,
) -> Product:
    type_en, type_fr, low, high, sizes, coloured, feature_en, feature_fr = kind
    price = round(rng.uniform(low, high)) - 0.01 if high > 20 else round(rng.uniform(low, high), 2)
    colours = rng.sample(sorted(COLOURS), k=rng.randint(1, 4)) if coloured else [""]
    suffix = f" {edition + 1}" if edition else ""
    named_fr = agreed(f"{type_fr} {style[1]}", title_form(type_fr))  # "Veste de pluie légère"
    product_id = f"DEMO-{index + 1:06d}"
    variants = [
        Variant(
            sku=f"{product_id}-{v:02d}",
            colour=colour,
            size=size,
            stock=rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 35]),
        )
        for v, (colour, size) in enumerate((c, s) for c in colours for s in (sizes or [""]))
    ]
    return Product(
        id=product_id,
        title_en=f"{brand} {style[0]} {type_en}{suffix}",
        title_fr=f"{named_fr} {brand}{suffix}",
        price=max(price, 0.5),
        currency="EUR",
        brand=brand,
        categories=[f"{category} > {type_en}"],
        rating=round(rng.uniform(3.0, 5.0), 1),
        description_en=f"{style[0]} {type_en.lower()} by {brand}, {feature_en}.",
        description_fr=f"{named_fr} {_of_fr(brand)}, {feature_fr}.",
        variants=[v for v in variants if v.colour or v.size],
        stock=rng.choice([0, 4, 10, 25, 60]),
    )


def _of_fr(brand: str) -> str:
    """ "de Cotonia", "d'Apexa"."""
    return f"d'{brand}" if brand[:1].lower() in "aeiouyéèâ" else f"de {brand}"


def ensure_demo_catalog(db: sqlite_utils.Database) -> ImportReport | None:
    """Load the demo catalogue into an empty database; leave a non-empty one alone."""
    if product_count(db):
        return None
    return store_products(db, generate(), source="demo")
