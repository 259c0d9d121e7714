"""Guided discovery: a request's criteria, the questions that narrow them, then
1–3 proposals; refinement ("something cheaper", "another brand") keeps what the
shopper already said."""

from __future__ import annotations

from dataclasses import replace

import inflect
from rapidfuzz import fuzz

from catalog.morphology import Form, agreed, title_form
from catalog.text import fold
from skills.dialogue import discovery
from skills.dialogue.context import TurnContext
from skills.dialogue.options import option_said, recipient_said
from skills.dialogue.proposing import chosen, propose
from skills.dialogue.questions import Expects, Pending, QuestionKind
from skills.dialogue.references import DIRECT_SEARCH_SCORE, picked_among
from skills.dialogue.registry import answers, intent
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.reply import Reply

CRITERIA_SLOTS = ("product", "category", "brand", "colour", "size", "budget", "recipient", "use")
ORDERS = {"cheapest": "price", "dearest": "-price", "best_rated": "-rating"}  # cue → order
_ENGLISH = inflect.engine()
NOT_AN_ANSWER = ("cancel", "human", "help", "repeat", "read_cart", "checkout")


@intent("search")
def search(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    new = criteria_from(ctx, parse.slots)
    if not new:
        return ctx.failed("not_understood")
    state.criteria, state.excluded, state.questions_asked = new, [], 0
    state.proposed, state.focus = [], None
    if new.get("use") == "gift" and not new.keys() & {"recipient", "product", "category"}:
        return _ask_recipient(ctx, state)
    reply = _discover(ctx, state)
    missing = _not_sold(ctx, new.get("product", ""), [p["title"] for p in reply.products])
    if missing and reply.products:  # "a hiking backpack": no backpacks, hiking boots
        not_sold = ctx.phrases.say("not_sold", what=ctx.phrases.partitive(missing))
        reply.text = f"{not_sold} {reply.text}"
    shop_currency = _other_currency(ctx, new, reply)
    if shop_currency:  # "under 50 euros" in a dollar shop: the number is read as dollars
        name = ctx.phrases.currency_name(shop_currency)
        reply.text = f"{ctx.phrases.say('prices_in', currency=name)} {reply.text}"
    return reply


def _other_currency(ctx: TurnContext, criteria: dict, reply: Reply) -> str | None:
    """The shop's currency, when the budget was said in another one."""
    said = (criteria.get("budget") or {}).get("currency")
    first = ctx.product(reply.products[0]["id"]) if reply.products else None
    return first.currency if said and first and first.currency != said else None


@intent("gift")
def gift(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    """ "I need a gift": a search whose first question is who it is for."""
    return search(ctx, state, replace(parse, slots={**parse.slots, "use": "gift"}))


@intent("start_over")
def start_over(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    """ "Let's start again": the search and what was offered are set aside; the cart stays."""
    state.criteria, state.excluded, state.proposed = {}, [], []
    state.focus, state.questions_asked = None, 0
    named = parse.slots.get("product")
    hits = ctx.search.search(named, limit=1, lang=ctx.lang) if named else []
    if hits and hits[0].score >= DIRECT_SEARCH_SCORE:  # "start over with the hoodies"
        reply = search(ctx, state, parse)
        reply.intent = "search"
        return reply
    return ctx.say("start_over_cart_kept" if state.cart else "start_over")


@intent("refine")
def refine(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    if not state.criteria and parse.slots.get("product"):  # "cheap headphones?" first
        reply = search(ctx, state, parse)
        reply.intent = "search"
        return reply
    cues = parse.slots.get("cues", [])
    if _order_asked(cues):  # "le moins cher" is a superlative, not "moins cher"
        cues = [c for c in cues if c not in ("cheaper", "dearer")]
    new = criteria_from(ctx, parse.slots, keep_product=False)
    if state.cart and {"more", "less"} & set(cues) and not new:  # "encore un"
        reply = ctx.handle(state, replace(parse, intent="change_quantity"))
        reply.intent = "change_quantity"
        return reply
    if state.focus and state.last_line == state.focus and new.keys() == {"size"} and not cues:
        reply = ctx.handle(state, replace(parse, intent="change_quantity"))  # "plutôt du 43"
        reply.intent = "change_quantity"
        return reply
    if _wanted_of_chosen(ctx, state, new) and not cues:  # "in L please" after choosing
        reply = ctx.handle(state, replace(parse, intent="add_to_cart"))
        reply.intent = "add_to_cart"
        return reply
    only_picks = not cues and new and not new.keys() - {"colour", "brand"}
    if only_picks and picked_among(ctx, state.proposed, parse.slots):  # "la rouge"
        reply = ctx.handle(state, replace(parse, intent="choose"))
        reply.intent = "choose"
        return reply
    if state.proposed and _order_asked(cues) and not new.keys() - {"order"}:
        reply = ctx.handle(state, replace(parse, intent="choose"))  # "the cheapest one"
        reply.intent = "choose"
        return reply
    criteria = dict(state.criteria)
    criteria.update(new)
    shown = [p for p in (ctx.product(pid) for pid in state.proposed) if p]
    if "cheaper" in cues and shown:
        criteria["budget"] = {"max": round(min(p.price for p in shown) - 0.01, 2)}
        criteria["order"] = "price"
    elif "dearer" in cues and shown:
        criteria["budget"] = {"min": round(max(p.price for p in shown) + 0.01, 2)}
        criteria["order"] = "price"
    if "other_brand" in cues and shown:
        criteria["exclude_brands"] = sorted({p.brand for p in shown if p.brand})
    shown_before = list(state.excluded)
    if "other" in cues:
        state.excluded = list(dict.fromkeys([*state.excluded, *state.proposed]))
    order = _order_asked(cues)
    if order:
        criteria["order"] = order
    if criteria == state.criteria and not cues:
        return ctx.failed("not_understood")
    before = state.criteria
    state.criteria = criteria
    state.questions_asked = discovery.MAX_QUESTIONS  # refining means: show me
    reply = _discover(ctx, state)
    if reply.products:
        return reply
    # Nothing fits: what the shopper chose before stays, and so do the last products.
    state.criteria, state.excluded = before, shown_before
    if "other" in cues and state.proposed and not new:
        return ctx.say("no_more")
    if "cheaper" in cues or "dearer" in cues:
        key = "refine_none" if "cheaper" in cues else "refine_none_dearer"
        widened = {k: v for k, v in criteria.items() if k != "product"}
        if shown and not widened.get("category"):
            widened["category"] = shown[0].category.split(" > ")[0]
        if criteria.get("product") and widened.get("category"):  # offer the whole category
            state.pending = Pending(
                QuestionKind.WIDEN, expects=Expects.YES_NO, data={"criteria": widened}
            )
            return ctx.say(f"{key}_widen", category=ctx.phrases.category(widened["category"]))
        return ctx.say(key)
    return reply


def _wanted_of_chosen(ctx: TurnContext, state: DialogueState, new: dict) -> bool:
    """Only a size or colour, said of the product just chosen (not yet in the cart),
    that it comes in."""
    if not state.focus or not new or new.keys() - {"size", "colour"}:
        return False
    if state.focus in {line.product_id for line in state.cart}:
        return False
    product = ctx.product(state.focus)
    return bool(product and product.matching(new.get("colour"), new.get("size")))


@answers(QuestionKind.WIDEN, did="refine")
def widen_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    """Nothing cheaper of that kind: yes means the same budget over the category."""
    if parse.intent == "yes":
        state.criteria = pending.data["criteria"]
        return _discover(ctx, state)
    if parse.intent in ("no", "cancel"):
        return ctx.say("ok_what_then")
    return None


@intent("out_of_scope")
def out_of_scope(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    if state.proposed and "other" in parse.slots.get("cues", []):  # "what else?"
        reply = refine(ctx, state, parse)
        reply.intent = reply.intent or "refine"
        return reply
    if parse.slots.get("product") and parse.confidence < 0.9:
        hits = ctx.search.search(parse.slots["product"], limit=3, lang=ctx.lang)
        if hits and hits[0].score >= DIRECT_SEARCH_SCORE:
            return search(ctx, state, parse)
    return ctx.failed("out_of_scope")


@answers(QuestionKind.CRITERIA, did="search")
def criteria_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent in NOT_AN_ANSWER:
        return None
    answer = criteria_from(ctx, parse.slots)
    if parse.intent == "search" and answer.get("product"):
        return None  # a new request replaces the question
    if pending.attribute == "recipient" and "recipient" not in answer:
        said = recipient_said(ctx.phrases, parse.text)  # "my dad", without "for"
        if said:
            answer["recipient"], phrase = said
            if answer.get("product") in phrase.split():
                del answer["product"]  # "ma fille" names no "fille" product
    if pending.attribute == "category" and "category" not in answer:
        category = option_said(ctx.phrases, parse.text, pending.labels)
        if category:
            answer["category"] = pending.options[pending.labels.index(category)]
    if pending.attribute == "budget" and "budget" not in answer and parse.slots.get("quantity"):
        answer["budget"] = {"max": float(parse.slots["quantity"])}  # "fifty" after "what budget?"
    state.criteria.update(answer)
    return _discover(ctx, state)


def criteria_from(ctx: TurnContext, slots: dict, keep_product: bool = True) -> dict:
    criteria = {k: slots[k] for k in CRITERIA_SLOTS if slots.get(k)}
    if not keep_product:
        criteria.pop("product", None)
    category = criteria.get("category")
    if category and criteria.get("product"):
        words = {
            w for phrase in ctx.phrases.lexicon["categories"][category] for w in phrase.split()
        }
        if set(criteria["product"].split()) <= words:
            del criteria["product"]  # "shoes" alone names the category, not a product
    order = _order_asked(slots.get("cues", []))
    if order:
        criteria["order"] = order
    return criteria


def _not_sold(ctx: TurnContext, product: str, titles: list[str]) -> str:
    """The kind of product asked for, as said, when the shop has nothing of it and
    nothing found bears its name ("hiking backpack" → "backpacks"); else ""."""
    words = product.split()
    if not words:
        return ""
    head = words[-1] if ctx.lang == "en" else words[0]
    said = {fold(head)}
    if ctx.lang == "en":
        said.add(fold(_ENGLISH.singular_noun(head) or head))  # "pans" is "pan"
    if said & ctx.search.known_words():
        return ""
    found = {fold(w).lower() for title in titles for w in title.split()}
    if found & said or any(_same_word(fold(head), word) for word in found):
        return ""  # "bouilloires" found "Bouilloire"
    if ctx.lang == "en":
        return _ENGLISH.plural_noun(head) if not _ENGLISH.singular_noun(head) else head
    kind = product.split(" de ")[0].split(" pour ")[0]  # "sac à dos de randonnée"
    return agreed(kind, Form(title_form(kind).feminine, plural=True))  # "de sacs à dos"


def _same_word(said: str, word: str) -> bool:
    """ "hoodies" and "hoodie", "chausures" and "chaussures": one word, give or take an
    ending or a slip."""
    shortest = min(len(said), len(word))
    common = next((i for i, (a, b) in enumerate(zip(said, word, strict=False)) if a != b), shortest)
    return common >= max(4, shortest - 2) or (shortest >= 5 and fuzz.ratio(said, word) >= 85)


def _order_asked(cues: list[str]) -> str | None:
    return next((ORDERS[c] for c in cues if c in ORDERS), None)


def _discover(ctx: TurnContext, state: DialogueState) -> Reply:
    criteria = state.criteria
    pool = discovery.candidates(ctx.search, criteria, ctx.lang, state.excluded)
    if criteria.get("exclude_brands"):
        pool = [h for h in pool if h.brand not in criteria["exclude_brands"]]
    if not pool:
        return _nothing_found(ctx, criteria)
    if discovery.is_vague(criteria, pool):
        question = discovery.next_question(criteria, pool, state.questions_asked)
        if question:
            state.questions_asked += 1
            return _ask(ctx, state, question)
    return propose(ctx, state, chosen(pool, criteria.get("order"), ctx.proposals))


def _ask_recipient(ctx: TurnContext, state: DialogueState) -> Reply:
    recipients = ctx.phrases.lexicon["recipients"]
    state.pending = Pending(
        QuestionKind.CRITERIA,
        attribute="recipient",
        options=list(recipients),
        labels=[spoken[0] for spoken in recipients.values()],
    )
    return ctx.say("ask_recipient")


def _ask(ctx: TurnContext, state: DialogueState, question: discovery.Question) -> Reply:
    labels = [ctx.phrases.category(o) for o in question.options]
    state.pending = Pending(
        QuestionKind.CRITERIA,
        attribute=question.attribute,
        options=question.options,
        labels=labels,
    )
    prefix = ""
    recipient = state.criteria.get("recipient")
    if recipient and state.questions_asked == 1 and not ctx.persona.short:
        prefix = ctx.phrases.say("recipient_ack", recipient=ctx.phrases.recipient(recipient))
    if question.attribute == "category":
        text = ctx.phrases.say("ask_category", options=ctx.phrases.join(labels, "or"))
    else:
        text = ctx.phrases.say("ask_budget")
    return Reply(f"{prefix} {text}".strip())


def _nothing_found(ctx: TurnContext, criteria: dict) -> Reply:
    budget = criteria.get("budget") or {}
    if budget.get("max") is not None:
        wider = {k: v for k, v in criteria.items() if k != "budget"}
        pool = discovery.candidates(ctx.search, wider, ctx.lang, [])
        if pool:
            cheapest = min(pool, key=lambda h: h.price)
            return ctx.say(
                "nothing_found_budget",
                budget=ctx.phrases.price(budget["max"]),
                title=cheapest.title,
                price=ctx.phrases.price(cheapest.price, cheapest.currency),
            )
    what = criteria.get("product") or ctx.phrases.category(criteria.get("category", ""))
    if criteria.get("brand") and what:
        return ctx.say("nothing_found_brand", what=what, brand=criteria["brand"])
    return ctx.say("nothing_found", what=what or "that")
