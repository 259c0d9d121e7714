"""Answers to product and policy questions, from catalogue data and the shop policy."""

from __future__ import annotations

import re

from catalog.lookup import ProductInfo
from catalog.text import fold
from skills.dialogue.phrases import Phrases


def price(product: ProductInfo, phrases: Phrases) -> str:
    return phrases.say(
        "price",
        title=product.title(phrases.lang),
        price=phrases.price(product.price, product.currency),
    )


def stock(product: ProductInfo, slots: dict, phrases: Phrases) -> str:
    title = product.title(phrases.lang)
    colour, size = slots.get("colour"), slots.get("size")
    if colour or size:
        wanted = phrases.variant(colour, size)
        if any(v.in_stock for v in product.matching(colour, size)):
            return phrases.say("in_stock_variant", title=title, variant=wanted)
        others = _other_options(product, colour, size, phrases)
        if not others:
            return phrases.say("out_of_stock", title=title)
        return phrases.say(
            "out_of_stock_variant", title=title, variant=wanted, others=phrases.join(others)
        )
    if not product.in_stock:
        return phrases.say("out_of_stock", title=title)
    counts = [v.stock for v in product.variants] if product.variants else [product.stock]
    count = None if None in counts else sum(counts)  # None: not tracked
    if count is not None and count <= 5:
        return phrases.say("in_stock", title=title, count=count)
    return phrases.say("in_stock_many", title=title)


def _other_options(
    product: ProductInfo, colour: str | None, size: str | None, phrases: Phrases
) -> list[str]:
    """What is in stock instead: the colours in that size when the colour is what is
    missing, else the sizes in that colour."""
    if colour and not any(v.in_stock for v in product.matching(colour=colour)):
        found = [v.colour for v in product.matching(size=size) if v.in_stock and v.colour]
        return [phrases.colour(c) for c in dict.fromkeys(found)]
    sizes = [v.size for v in product.matching(colour=colour) if v.in_stock and v.size]
    return list(dict.fromkeys(sizes))


RANGE_FROM = 4  # consecutive sizes said as a range from this many ("36 to 46")
LETTER_SIZES = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"]  # in their order


def spoken_options(labels: list[str], attribute: str, phrases: Phrases, word: str = "or") -> str:
    """Options as the ear takes them: a run of consecutive sizes as a range, else a
    list ("S, M or L")."""
    if attribute == "size":
        spoken = size_range(labels, phrases)
        if spoken:
            return spoken
    return phrases.join(labels, word)


def size_range(sizes: list[str], phrases: Phrases) -> str | None:
    """ "36 to 46" for 36, 37, … 46, "XS to XXL" for XS, S, … XXL; None unless they
    are consecutive whole numbers or consecutive letter sizes."""
    if len(sizes) < RANGE_FROM:
        return None
    if all(s.isdigit() for s in sizes):
        ranks = sorted(int(s) for s in sizes)
        names = {n: str(n) for n in ranks}
    elif all(s.upper() in LETTER_SIZES for s in sizes):
        ranks = sorted(LETTER_SIZES.index(s.upper()) for s in sizes)
        names = {r: LETTER_SIZES[r] for r in ranks}
    else:
        return None
    if ranks != list(range(ranks[0], ranks[-1] + 1)):
        return None
    return phrases.fragment("size_range").format(low=names[ranks[0]], high=names[ranks[-1]])


def sizes(product: ProductInfo, slots: dict, phrases: Phrases) -> str:
    title = product.title(phrases.lang)
    every = product.sizes()
    if not every:
        return phrases.say("no_sizes", title=title)
    wanted = slots.get("size")
    if wanted:
        if product.matching(size=wanted):
            return phrases.say("has_variant", title=title, variant=wanted)
        others = spoken_options(every, "size", phrases, "and")
        return phrases.say("lacks_variant", title=title, variant=wanted, others=others)
    text = phrases.say("sizes", title=title, sizes=spoken_options(every, "size", phrases, "and"))
    in_stock = product.sizes(in_stock=True)
    if in_stock and len(in_stock) < len(every):
        spoken = spoken_options(in_stock, "size", phrases, "and")
        text += " " + phrases.say("sizes_in_stock", sizes=spoken)
    return text


def colours(product: ProductInfo, slots: dict, phrases: Phrases) -> str:
    title = product.title(phrases.lang)
    every = [phrases.colour(c) for c in product.colours()]
    if not every:
        return phrases.say("no_colours", title=title)
    wanted = slots.get("colour")
    if wanted:
        if product.matching(colour=wanted):
            return phrases.say("has_variant", title=title, variant=phrases.colour(wanted))
        return phrases.say(
            "lacks_variant", title=title, variant=phrases.colour(wanted), others=phrases.join(every)
        )
    return phrases.say("colours", title=title, colours=phrases.join(every))


def compare(a: ProductInfo, b: ProductInfo, phrases: Phrases) -> str:
    lang = phrases.lang
    cheaper, dearer = (a, b) if a.price <= b.price else (b, a)
    if dearer.price > cheaper.price:
        difference = phrases.say(
            "compare_cheaper",
            title=cheaper.title(lang),
            amount=phrases.price(dearer.price - cheaper.price, a.currency),
        )
    else:
        difference = ""
    if (a.rating or 0) != (b.rating or 0):
        better = a if (a.rating or 0) > (b.rating or 0) else b
        difference += " " + phrases.say(
            "compare_rating", title=better.title(lang), rating=phrases.number(better.rating)
        )
    return phrases.say(
        "compare",
        a=a.title(lang),
        price_a=phrases.price(a.price, a.currency),
        b=b.title(lang),
        price_b=phrases.price(b.price, b.currency),
        difference=difference.strip(),
    ).strip()


def delivery(policy: dict, slots: dict, phrases: Phrases) -> str:
    lang = phrases.lang
    rules = policy["delivery"]
    currency = policy["currency"]
    countries = rules["countries"]
    names = [c[lang] for c in countries.values()]
    free = phrases.say(
        "delivery_free_above", threshold=phrases.price(rules["free_above"], currency)
    )
    code = slots.get("country")
    if code and code not in countries:
        name = rules.get("not_delivered", {}).get(code, {}).get(lang, code)
        return phrases.say("no_delivery_country", country=name, countries=phrases.join(names))
    if code:
        rule = countries[code]
        return (
            phrases.say(
                "delivery_country",
                country=rule[lang],
                days=days_text(rule["days"], phrases),
                cost=phrases.price(rule["cost"], currency),
            )
            + " "
            + free
        )
    home = countries[policy["home_country"]]
    text = phrases.say(
        "delivery_general",
        countries=phrases.join(names),
        home=home[lang],
        days=days_text(home["days"], phrases),
        cost=phrases.price(home["cost"], currency),
    )
    return f"{text} {free}"


def returns(policy: dict, phrases: Phrases) -> str:
    rules = policy["returns"]
    return phrases.say(
        "returns",
        days=rules["days"],
        cost=rules["cost"][phrases.lang],
        refund_days=rules["refund_days"],
    )


def warranty(policy: dict, phrases: Phrases) -> str:
    return phrases.say("warranty", years=policy["warranty"]["years"])


def payment(policy: dict, phrases: Phrases) -> str:
    return phrases.say("payment", methods=", ".join(policy["payment"][phrases.lang]))


def days_text(days: list[int], phrases: Phrases) -> str:
    """Days as said: "2 to 3", or "2" when the bounds meet."""
    low, high = days
    return str(low) if low == high else phrases.say("days_range", low=low, high=high)


def mentions(text: str, feature: str) -> bool:
    """Whether the catalogue's words for a product say what the shopper asked
    ("waterproof", "imperméable", "a hood" in "hooded"): every word of four
    letters or more of the feature begins a word of the text, accents aside."""
    words = [fold(w) for w in re.findall(r"[\w-]+", text)]
    wanted = [fold(w) for w in re.findall(r"[\w-]+", feature) if len(w) >= 4]
    return bool(wanted) and all(any(w.startswith(x[:5]) for w in words) for x in wanted)
