"""Saying 1–3 products: in the order the shopper asked for, each with the one thing
that sets it apart, and out of stock said when it is."""

from __future__ import annotations

from catalog.morphology import Form
from catalog.search import Hit
from skills.dialogue.context import TurnContext
from skills.dialogue.references import product_dict
from skills.dialogue.state import DialogueState
from skills.nlu.language import load_language
from skills.reply import Reply

ORDER_KEYS = {
    "price": lambda h: h.price,
    "-price": lambda h: -h.price,
    "-rating": lambda h: -(h.rating or 0),
}


def chosen(pool: list[Hit], order: str | None, count: int) -> list[Hit]:
    """The products to propose: in stock unless none is, the best matches (or the
    cheapest, dearest, best rated when that `order` was asked), read in that order, else
    cheapest first, so that the list has an order the ear can follow."""
    in_stock = [h for h in pool if h.in_stock] or pool
    if order:  # "the cheapest": chosen by it, not only ordered
        in_stock = sorted(in_stock, key=ORDER_KEYS[order])
    return sorted(in_stock[:count], key=ORDER_KEYS[order or "price"])


def spoken_group(titles: list[str], head_last: bool) -> tuple[str, list[str]] | None:
    """The words every title shares (the type, and the brand when it is one) and the
    words that set each apart: "Urbanfox Classic Hoodie", "Urbanfox Light Hoodie" →
    ("Urbanfox hoodie", ["Classic", "Light"]). None when they share no type. The type is
    the titles' last words when `head_last` (English), else their first (French)."""
    words = [title.split() for title in titles]
    lowered = [[w.lower() for w in ws] for ws in words]

    def shared(from_end: bool) -> int:
        columns = zip(*(ws[::-1] if from_end else ws for ws in lowered), strict=False)
        return next((n for n, col in enumerate(columns) if len(set(col)) > 1), min(map(len, words)))

    kind, brand = shared(from_end=head_last), shared(from_end=not head_last)
    if not kind:
        return None
    first = words[0]
    if head_last:  # brand first, type last: "Urbanfox … Hoodie"
        rests = [ws[brand : len(ws) - kind] for ws in words]
        group = first[:brand] + [w.lower() for w in first[len(first) - kind :]]
    else:  # type first, brand last: "Sweat à capuche … Urbanfox"
        rests = [ws[kind : len(ws) - brand] for ws in words]
        group = first[:kind] + first[len(first) - brand :]
    apart = [" ".join(rest) for rest in rests]
    if not all(apart) or len({a.lower() for a in apart}) < len(apart):
        return None
    return " ".join(group), apart


def propose(ctx: TurnContext, state: DialogueState, hits: list[Hit]) -> Reply:
    state.proposed = [h.id for h in hits]
    state.focus = hits[0].id if len(hits) == 1 else None
    phrases = ctx.phrases
    if len(hits) == 1:
        hit = hits[0]
        text = phrases.say(
            "propose_one",
            title=hit.title,
            price=phrases.price(hit.price, hit.currency),
            note=_stock_note(ctx, hit),
        )
        return Reply(text, products=[product_dict(hit)])
    head_last = load_language(ctx.lang).understanding.get("product_head", "last") == "last"
    grouped = spoken_group([h.title for h in hits], head_last)
    if grouped:  # "3 Urbanfox hoodies: the Classic at €41.99, …; and the Light at …"
        group, apart = grouped
        grammar = phrases.grammar
        form = Form(grammar.form(group).feminine, plural=grammar.form(group).plural)
        items = [
            phrases.part(
                "propose_group_item",
                short=grammar.named(name, group),
                price=phrases.price(hit.price, hit.currency),
                feature=_feature(ctx, hit, hits) + _stock_note(ctx, hit),
            )
            for name, hit in zip(apart, hits, strict=True)
        ]
        between = phrases.fragment("list_separator")
        listed = between.join(items[:-1]) + f"{between}{phrases.fragment('and')} {items[-1]}"
        text = phrases.say(
            "propose_group", group=grammar.counted(group, len(hits)), items=listed, form=form
        )
        return Reply(text, products=[product_dict(h) for h in hits])
    items = [
        phrases.say(
            "propose_item",
            ordinal=phrases.ordinal(position),
            title=hit.title,
            price=phrases.price(hit.price, hit.currency),
            feature=_feature(ctx, hit, hits) + _stock_note(ctx, hit),
        )
        for position, hit in enumerate(hits, 1)
    ]
    text = phrases.say("propose_many", count=len(hits), items=". ".join(items))
    return Reply(text, products=[product_dict(h) for h in hits])


def _feature(ctx: TurnContext, hit: Hit, hits: list[Hit]) -> str:
    """The best rating or the lowest price, when this product alone has it."""
    ratings = [h.rating or 0 for h in hits]
    if hit.rating and hit.rating == max(ratings) and ratings.count(hit.rating) == 1:
        rating = ctx.phrases.number(hit.rating)
        return ctx.phrases.say("feature_best_rated", rating=rating, title=hit.title)
    prices = [h.price for h in hits]
    if hit.price == min(prices) and prices.count(hit.price) == 1:
        return ctx.phrases.say("feature_cheapest", title=hit.title)
    return ""


def _stock_note(ctx: TurnContext, hit: Hit) -> str:
    return "" if hit.in_stock else ctx.phrases.say("feature_out_of_stock")
