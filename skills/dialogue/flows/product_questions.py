"""Questions about a product on the table (price, stock, sizes, colours, a
comparison) and about the shop (delivery, returns, warranty, payment)."""

from __future__ import annotations

from collections.abc import Callable

from catalog.lookup import ProductInfo
from skills.dialogue import answers
from skills.dialogue.context import TurnContext
from skills.dialogue.references import ask_which, at, info_dict, product_meant
from skills.dialogue.registry import intent
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.reply import Reply


@intent("choose")
def choose(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    product = product_meant(ctx, state, parse)
    if not product:
        return ask_which(ctx, state, parse)
    state.focus = product.id
    text = answers.price(product, ctx.phrases)
    description = product.description_fr if ctx.lang == "fr" else product.description_en
    if description:  # "tell me more about it": what the catalogue says of it
        text += " " + description.strip()
    if product.colours(in_stock=True):
        text += " " + answers.colours(product, {}, ctx.phrases)
    return Reply(text, products=[info_dict(product, ctx.lang)])


def _about(
    ctx: TurnContext, state: DialogueState, parse: Parse, answer: Callable[[ProductInfo], str]
) -> Reply:
    product = product_meant(ctx, state, parse)
    if not product:
        return ask_which(ctx, state, parse)
    state.focus = product.id
    return Reply(answer(product), products=[info_dict(product, ctx.lang)])


@intent("ask_price")
def ask_price(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return _about(ctx, state, parse, lambda p: answers.price(p, ctx.phrases))


@intent("ask_stock")
def ask_stock(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return _about(ctx, state, parse, lambda p: answers.stock(p, parse.slots, ctx.phrases))


@intent("ask_sizes")
def ask_sizes(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return _about(ctx, state, parse, lambda p: answers.sizes(p, parse.slots, ctx.phrases))


@intent("ask_colours")
def ask_colours(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return _about(ctx, state, parse, lambda p: answers.colours(p, parse.slots, ctx.phrases))


@intent("ask_delivery")
def ask_delivery(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return Reply(answers.delivery(ctx.policy, parse.slots, ctx.phrases))


@intent("ask_returns")
def ask_returns(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return Reply(answers.returns(ctx.policy, ctx.phrases))


@intent("ask_warranty")
def ask_warranty(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return Reply(answers.warranty(ctx.policy, ctx.phrases))


@intent("ask_payment")
def ask_payment(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return Reply(answers.payment(ctx.policy, ctx.phrases))


@intent("compare")
def compare(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    positions = parse.slots.get("ordinals") or [1, 2]
    ids = [at(state.proposed, p) for p in positions[:2]]
    if len(positions) == 1 and state.focus:
        ids = [state.focus, at(state.proposed, positions[0])]
    products = [p for p in (ctx.product(i) for i in ids) if p]
    if len(products) < 2 or products[0].id == products[1].id:
        return ctx.say("compare_need_two")
    return Reply(
        answers.compare(products[0], products[1], ctx.phrases),
        products=[info_dict(p, ctx.lang) for p in products],
    )
