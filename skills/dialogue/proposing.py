"""Saying 1–3 products: in the order the shopper asked for, each with the one thing
that sets it apart, and out of stock said when it is."""

from __future__ import annotations

from catalog.search import Hit
from skills.dialogue.context import TurnContext
from skills.dialogue.references import product_dict
from skills.dialogue.state import DialogueState
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
