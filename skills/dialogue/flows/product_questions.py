"""Questions about a product on the table (price, stock, sizes, colours, a
comparison) and about the shop (delivery, returns, warranty, payment)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from catalog.lookup import ProductInfo
from skills.dialogue import answers
from skills.dialogue.context import TurnContext
from skills.dialogue.questions import Expects, Pending, QuestionKind
from skills.dialogue.references import (
    SELECTORS,
    ask_which,
    at,
    finds_products,
    info_dict,
    names_a_product,
    product_meant,
    sole_product_named,
)
from skills.dialogue.registry import answers as answers_to
from skills.dialogue.registry import intent
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.reply import Reply


def _meant_or_named(ctx: TurnContext, state: DialogueState, parse: Parse) -> ProductInfo | None:
    """The product on the table the turn means, else the one the catalogue has by that name."""
    return product_meant(ctx, state, parse) or sole_product_named(ctx, parse)


def _search_instead(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    """ "How much is the rain jacket?" with nothing on the table and several rain jackets
    in the shop: they are offered, with their prices, rather than asking which."""
    named = str(parse.slots.get("product") or "")
    if not named or not (names_a_product(ctx, named) or finds_products(ctx, named)):
        return ask_which(ctx, state, parse)
    reply = ctx.handle(state, replace(parse, intent="search"))
    reply.intent = reply.intent or "search"
    return reply


@intent("choose")
def choose(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    product = _meant_or_named(ctx, state, parse)
    colour = parse.slots.get("colour")
    unlike = product is not None and colour and not product.matching(colour=colour)
    if (unlike or (not product and parse.slots.get("brand"))) and state.criteria:
        reply = ctx.handle(state, replace(parse, intent="refine"))  # none offered is that
        reply.intent = "refine"
        return reply
    if not product:
        return _search_instead(ctx, state, parse)
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
    product = _meant_or_named(ctx, state, parse)
    if not product:
        return _search_instead(ctx, state, parse)
    state.focus = product.id
    return Reply(answer(product), products=[info_dict(product, ctx.lang)])


@intent("ask_feature")
def ask_feature(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    """ "Is it waterproof?": yes when the catalogue's words for the product say so;
    otherwise it does not know, and offers an adviser."""
    feature = str(parse.slots.get("product") or "").strip()
    others = {k: v for k, v in parse.slots.items() if k != "product"}
    product = product_meant(ctx, state, replace(parse, slots=others))
    if not product:
        return ask_which(ctx, state, parse)
    state.focus = product.id
    products = [info_dict(product, ctx.lang)]
    description = (product.description_fr if ctx.lang == "fr" else product.description_en) or ""
    if feature and answers.mentions(f"{product.title(ctx.lang)} {description}", feature):
        said = ctx.phrases.say("feature_yes", description=description.strip())
        return Reply(said, products=products)
    state.pending = Pending(QuestionKind.FEATURE_ADVISER, expects=Expects.YES_NO)
    key = "feature_unknown" if feature else "feature_unsaid"
    reply = ctx.say(key, title=product.title(ctx.lang), feature=feature)
    reply.products = products
    return reply


@answers_to(QuestionKind.FEATURE_ADVISER)
def feature_adviser_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent == "yes":
        return ctx.handle(state, replace(parse, intent="human", slots={}))
    if parse.intent in ("no", "cancel"):
        return ctx.say("no_nothing_pending")
    return None


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
    cue = next((c for c in parse.slots.get("cues", []) if c in SELECTORS), None)
    if cue and len(state.proposed) > 1:  # "which is the cheapest?": of all offered
        return _superlative(ctx, state, parse, cue)
    positions = parse.slots.get("ordinals") or [1, 2]
    if positions == [1] and (parse.slots.get("quantity") or 0) >= 2:
        positions = [1, 2]  # "the first two"
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


def _superlative(ctx: TurnContext, state: DialogueState, parse: Parse, cue: str) -> Reply:
    """The one offered that is cheapest, dearest or best rated, named and then
    talked about."""
    product = product_meant(ctx, state, replace(parse, slots={"cues": [cue]}))
    if product is None:
        return ctx.say("compare_need_two")
    state.focus = product.id
    reply = ctx.say(
        f"superlative_{cue}",
        title=product.title(ctx.lang),
        price=ctx.phrases.price(product.price, product.currency),
        rating=ctx.phrases.number(product.rating or 0),
    )
    reply.products = [info_dict(product, ctx.lang)]
    return reply
