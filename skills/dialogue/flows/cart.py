"""The cart: adding (asking the size or colour it needs), removing, quantities,
reading it back, and checkout with its confirmation."""

from __future__ import annotations

import uuid
from dataclasses import replace

from catalog.lookup import ProductInfo
from skills.dialogue import aftersales, answers
from skills.dialogue import cart as lines
from skills.dialogue.context import TurnContext
from skills.dialogue.effects import OrderPlaced, SavedCartDeclined
from skills.dialogue.options import option_said
from skills.dialogue.proposing import chosen, propose
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.references import (
    SELECTORS,
    ask_which,
    info_dict,
    names_a_product,
    product_meant,
)
from skills.dialogue.registry import answers as answers_to
from skills.dialogue.registry import intent
from skills.dialogue.state import CartLine, DialogueState
from skills.nlu.matcher import Parse
from skills.reply import Reply

DIRECT_ADD_SCORE = 0.75  # "add milk to my cart" adds the best match when it is this good
VARIANT_SLOTS = ("colour", "size")
LARGEST_QUANTITY_SAID = 10  # "42" about shoes in sizes 36 to 46 is a size, not 42 pairs


@intent("add_to_cart")
def add_to_cart(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    product = product_meant(ctx, state, parse)
    named = parse.slots.get("product")
    if product is None and named and names_a_product(ctx, named):
        hits = ctx.search.search(named, limit=3, lang=ctx.lang)
        if hits and hits[0].score >= DIRECT_ADD_SCORE:
            product = ctx.product(hits[0].id)
        elif hits:
            return propose(ctx, state, chosen(hits, None, ctx.proposals))
    if product is None:
        return ask_which(ctx, state, parse)
    wanted = {k: parse.slots[k] for k in VARIANT_SLOTS if parse.slots.get(k)}
    return _add(ctx, state, product, parse.slots.get("quantity") or 1, wanted)


@answers_to(QuestionKind.VARIANT, did="add_to_cart")
def variant_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    attribute, slots = pending.attribute, parse.slots
    value = slots.get(attribute) or option_said(ctx.phrases, parse.text, pending.options)
    if value and parse.intent not in ("search", "cancel", "no"):
        product = ctx.product(pending.data["product_id"])
        wanted = {**pending.data["chosen"], attribute: value}
        wanted.update({k: slots[k] for k in VARIANT_SLOTS if slots.get(k) and k != attribute})
        before = state.cart_count()
        reply = _add(ctx, state, product, pending.data["quantity"], wanted)
        reply.intent = "add_to_cart"  # "42", "red please": the add, finished
        if state.cart_count() == before and state.pending is None:
            state.pending = pending  # not in stock: the question still stands
        return reply
    if parse.intent in ("no", "cancel"):
        return ctx.say("no_nothing_pending")
    return None


def _add(ctx: TurnContext, state: DialogueState, product: ProductInfo, quantity: int, wanted: dict):
    phrases = ctx.phrases
    reply_products = [info_dict(product, ctx.lang)]
    if not product.variants:
        return Reply(lines.add(state, product, quantity, None, phrases), reply_products)
    matching = product.matching(wanted.get("colour"), wanted.get("size"))
    if not matching:
        return Reply(answers.stock(product, wanted, phrases), reply_products)
    # Only what can be had is offered: a size asked for must come in a colour in stock.
    offered = [v for v in matching if v.in_stock] or matching
    for attribute, values in (
        ("size", {v.size for v in offered if v.size}),
        ("colour", {v.colour for v in offered if v.colour}),
    ):
        if len(values) > 1:
            options = product.sizes() if attribute == "size" else product.colours()
            options = [o for o in options if o in values]
            labels = options if attribute == "size" else [phrases.colour(o) for o in options]
            state.pending = Pending(
                QuestionKind.VARIANT,
                attribute=attribute,
                options=options,
                labels=labels,
                data={"product_id": product.id, "quantity": quantity, "chosen": wanted},
            )
            state.focus = product.id
            word = phrases.responses[f"{attribute}_word"]
            spoken = answers.spoken_options(labels, attribute, phrases)
            text = phrases.say("need_variant", attribute=word, options=spoken)
            return Reply(text, reply_products)
    in_stock = [v for v in matching if v.in_stock]
    if not in_stock:
        return Reply(answers.stock(product, wanted, phrases), reply_products)
    return Reply(lines.add(state, product, quantity, in_stock[0], phrases), reply_products)


@intent("remove_from_cart")
def remove_from_cart(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    if "clear" in parse.slots.get("cues", []):
        state.cart.clear()
        return ctx.say("cart_cleared")
    if not state.cart:
        return ctx.say("cart_empty")
    product = product_meant(ctx, state, parse, cart_first=True)
    line = lines.find_line(state, product.id if product else None, None)
    if line is None and not parse.slots.get("product"):
        line = lines.find_line(state, state.last_line, None)  # "remove one": the last added
    if line is None and len(state.cart) == 1:
        line = state.cart[0]
    if line is None:
        if product:
            return ctx.say("not_in_cart", title=product.title(ctx.lang))
        return Reply(lines.read(state, ctx.phrases))
    quantity = parse.slots.get("quantity") or (1 if "less" in parse.slots.get("cues", []) else 0)
    if quantity and quantity < line.quantity:  # "remove one" of three
        return Reply(lines.set_quantity(state, line, line.quantity - quantity, ctx.phrases))
    return Reply(lines.remove(state, line, ctx.phrases))


@intent("change_quantity")
def change_quantity(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    line = lines.find_line(state, state.last_line or state.focus, None)
    if line is None:
        line = state.cart[-1] if state.cart else None
    cues = parse.slots.get("cues", [])
    if state.proposed and set(cues) & set(SELECTORS):  # "la moins chère des deux"
        reply = ctx.handle(state, replace(parse, intent="compare"))
        reply.intent = "compare"
        return reply
    looked_at = (
        state.focus if state.focus and not lines.find_line(state, state.focus, None) else None
    )
    size = parse.slots.get("size") or _size_said(
        ctx, looked_at or (line.product_id if line else None), parse
    )
    if size and looked_at:  # "42" after "what sizes do you have": add it in that size
        reply = ctx.handle(state, replace(parse, intent="add_to_cart", slots={"size": size}))
        reply.intent = reply.intent or "add_to_cart"
        return reply
    if size and line:  # "make it 43", "plutôt du 43": the same product, in another size
        return _resized(ctx, state, line, size)
    if line is None and (state.focus or state.proposed):
        # "make that two", "j'en veux une" before anything is in: add that many
        quantity = parse.slots.get("quantity") or 1
        reply = ctx.handle(
            state, replace(parse, intent="add_to_cart", slots={"quantity": quantity})
        )
        reply.intent = reply.intent or "add_to_cart"
        return reply
    if line is None:
        return ctx.say("cart_empty")
    if "more" in cues:
        quantity = line.quantity + 1
    elif "less" in cues:
        quantity = line.quantity - 1
    elif "only_one" in cues:  # "just one": "one" alone is no number ("the red one")
        quantity = 1
    else:
        quantity = parse.slots.get("quantity") or line.quantity
    return Reply(lines.set_quantity(state, line, quantity, ctx.phrases))


def _size_said(ctx: TurnContext, product_id: str | None, parse: Parse) -> str | None:
    """The size a bare number names ("42", "make it 43"), when it is too many to be a
    quantity and the product comes in that size; else None."""
    number = parse.slots.get("quantity")
    if not number or number <= LARGEST_QUANTITY_SAID or parse.slots.get("cues"):
        return None
    product = ctx.product(product_id)
    return str(number) if product and product.matching(size=str(number)) else None


def _resized(ctx: TurnContext, state: DialogueState, line: CartLine, size: str) -> Reply:
    product = ctx.product(line.product_id)
    had = next((v for v in product.variants if v.sku == line.sku), None)
    colour = had.colour if had else None
    in_stock = [v for v in product.matching(colour, size) if v.in_stock]
    in_size = [v for v in product.matching(size=size) if v.in_stock]
    if not in_stock and len({v.colour for v in in_size}) == 1:
        in_stock = in_size  # green has no 43, orange has: the colour said in the reply
    if in_stock:
        return Reply(lines.change_variant(state, line, in_stock[0], ctx.phrases))
    shown = [info_dict(product, ctx.lang)]
    if not in_size:
        return Reply(answers.stock(product, {"size": size}, ctx.phrases), shown)
    others = ctx.phrases.join(
        [ctx.phrases.colour(c) for c in dict.fromkeys(v.colour for v in in_size)]
    )
    title = product.title(ctx.lang)
    variant = ctx.phrases.variant(colour, size)
    return Reply(
        ctx.phrases.say("out_of_stock_variant", title=title, variant=variant, others=others), shown
    )


@intent("read_cart")
def read_cart(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return Reply(lines.read(state, ctx.phrases))


@intent("checkout")
def checkout(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    if not state.cart:
        return ctx.say("cart_empty")
    state.pending = Pending(QuestionKind.CHECKOUT)
    total = ctx.phrases.price(state.payable_total(), state.cart[0].currency)
    count = state.cart_count()
    if count == 1:
        reply = ctx.say("checkout_confirm_one", total=total)
    else:
        reply = ctx.say("checkout_confirm", count=count, total=total)
    if state.discount:
        percent = ctx.phrases.number(state.discount["percent"])
        reply.text += " " + ctx.phrases.say("discount_included", percent=percent)
    return reply


@answers_to(QuestionKind.CHECKOUT)
def checkout_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent == "yes":
        return _place_order(ctx, state)
    if parse.intent in ("no", "cancel"):
        return ctx.say("order_cancelled")
    return None


@answers_to(QuestionKind.RESTORE_CART)
def restore_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent == "yes":
        return Reply(lines.restore_saved(state, ctx.phrases, ctx.product))
    if parse.intent in ("no", "cancel"):
        state.context.pop("saved_cart", None)
        reply = ctx.say("saved_cart_dropped")
        reply.effects.append(SavedCartDeclined())
        return reply
    return None


def _place_order(ctx: TurnContext, state: DialogueState) -> Reply:
    order_id = uuid.uuid4().hex[:8].upper()
    total = state.payable_total()
    currency = state.cart[0].currency
    order = {
        "id": order_id,
        "lines": [line.__dict__.copy() for line in state.cart],
        "total": total,
        "currency": currency,
        "discount": state.discount,
    }
    state.orders.append(order)
    state.cart.clear()
    state.discount = None
    reply = ctx.say(
        "order_placed",
        order=aftersales.spoken_order(order_id),
        total=ctx.phrases.price(total, currency),
    )
    reply.effects.append(OrderPlaced(order))
    return reply
