"""Answers to product and policy questions, from catalogue data and the shop policy."""

from __future__ import annotations

from catalog.lookup import ProductInfo
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
        wanted = " ".join(p for p in (phrases.colour(colour) if colour else "", size or "") if p)
        if any(v.stock for v in product.matching(colour, size)):
            return phrases.say("in_stock_variant", title=title, variant=wanted)
        others = product.sizes(in_stock=True) if size else product.colours(in_stock=True)
        others = [phrases.colour(o) for o in others] if colour else others
        if not others:
            return phrases.say("out_of_stock", title=title)
        return phrases.say(
            "out_of_stock_variant", title=title, variant=wanted, others=phrases.join(others)
        )
    count = sum(v.stock for v in product.variants) if product.variants else product.stock
    if count <= 0:
        return phrases.say("out_of_stock", title=title)
    if count <= 5:
        return phrases.say("in_stock", title=title, count=count)
    return phrases.say("in_stock_many", title=title)


def sizes(product: ProductInfo, slots: dict, phrases: Phrases) -> str:
    title = product.title(phrases.lang)
    every = product.sizes()
    if not every:
        return phrases.say("no_sizes", title=title)
    wanted = slots.get("size")
    if wanted:
        if product.matching(size=wanted):
            return phrases.say("has_variant", title=title, variant=wanted)
        return phrases.say("lacks_variant", title=title, variant=wanted, others=phrases.join(every))
    text = phrases.say("sizes", title=title, sizes=phrases.join(every))
    in_stock = product.sizes(in_stock=True)
    if in_stock and len(in_stock) < len(every):
        text += " " + phrases.say("sizes_in_stock", sizes=phrases.join(in_stock))
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
