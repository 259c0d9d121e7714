"""The shopping skill: one turn in, one reply out, over a session's state.

The manager handles what belongs to no journey: silence, repair after turns not
understood, "did you mean…?" for a change understood with little confidence, and
"which one?" when several products are on the table. Everything else goes to the
flow registered for the intent, or for the question pending (skills/dialogue/flows).
A handler changes only the state object it is given: the session store saves it
only when the whole turn succeeded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timezone

import sqlite_utils

from catalog.search import CatalogSearch, Hit
from skills.campaigns.engine import CampaignEngine
from skills.campaigns.rules import load_rules
from skills.customers import CustomerBook
from skills.dialogue import cart, discovery, flows  # noqa: F401  (flows register handlers)
from skills.dialogue.context import TurnContext
from skills.dialogue.persona import Persona, load_persona
from skills.dialogue.phrases import Phrases
from skills.dialogue.policy import load_policy
from skills.dialogue.promo_codes import code_said
from skills.dialogue.qualification import LeadForm
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.references import pick_answer
from skills.dialogue.registry import answer_handler, answered_intent, intent_handler
from skills.dialogue.state import DialogueState
from skills.dialogue.turn_events import Before, changes, funnel_events, triggers
from skills.nlu.matcher import OUT_OF_SCOPE, IntentParser, Parse
from skills.orders import OrderBook
from skills.reply import Reply
from skills.schedule import AdviserHours, load_hours

HISTORY = 60  # turns kept for a hand-off
BEST_MATCH_SCORE = 0.75  # a campaign's query names a product when matched this well
CONFIRM_BELOW = 0.8  # a cart or session change understood with less confidence is checked
CONFIRMED_INTENTS = ("add_to_cart", "remove_from_cart", "checkout", "cancel", "human")
FAILURES_BEFORE_OFFER = 2
NEW_REQUESTS = ("search", "gift")  # turns that replace "which one?" rather than answer it
CARRIED_SLOTS = ("colour", "size", "quantity")  # "the red one", "the first in 39"


class ShoppingSkill:
    """The skill for one catalogue and one language."""

    def __init__(
        self, db: sqlite_utils.Database, lang: str, persona: Persona | None = None
    ) -> None:
        self.db = db
        self.lang = lang
        self.search = CatalogSearch(db)
        self.persona = persona or load_persona()
        self.phrases = Phrases(lang, self.persona)
        self.proposals = 2 if self.persona.short else discovery.PROPOSALS
        self.policy = load_policy()
        self.parser = IntentParser(
            lang, self.search.known_words(), self.search.brands(), self.search.titles(lang)
        )
        self.rules = load_rules()
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
        self.orders: OrderBook | None = None  # the customers' orders, when the shop has them
        self.customers: CustomerBook | None = None  # customer records and consents
        self.hours: AdviserHours = load_hours()

    # -- entry point ---------------------------------------------------------------
    def turn(
        self,
        state: DialogueState,
        text: str = "",
        alternatives: Sequence[tuple[str, float]] = (),
    ) -> Reply:
        ctx = self._context(state)
        before = Before.of(state)
        if not alternatives and not text.strip():
            reply = self._silence(ctx, state)
        else:
            reply = self._understood(ctx, state, text, alternatives)
        if before.first and state.context.get("saved_cart"):
            reply.text = f"{reply.text} {cart.offer_saved(state, ctx.phrases, ctx.product)}"
        campaigns = CampaignEngine(self.rules, self.policy, ctx.phrases, self._best_match)
        for trigger in triggers(before, state):
            campaigns.fire(trigger, state, reply, self.clock())
        reply.events[:0] = funnel_events(before, state, reply)
        reply.effects += changes(before, state)
        state.last_reply = reply.text
        return reply

    def _context(self, state: DialogueState) -> TurnContext:
        phrases = self.phrases.bound(state.said)  # the session's own rotation of phrasings
        ctx = TurnContext(
            db=self.db,
            lang=self.lang,
            search=self.search,
            phrases=phrases,
            persona=self.persona,
            policy=self.policy,
            rules=self.rules,
            hours=self.hours,
            lead=LeadForm(phrases, self.policy["home_country"]),
            clock=self.clock,
            orders=self.orders,
            customers=self.customers,
            proposals=self.proposals,
            handle=lambda again, parse: self._handle(ctx, again, parse),
        )
        return ctx

    def _understood(
        self,
        ctx: TurnContext,
        state: DialogueState,
        text: str,
        alternatives: Sequence[tuple[str, float]],
    ) -> Reply:
        state.silences = 0
        on_table = bool(state.proposed or state.focus or state.cart)
        if alternatives:
            parse = self.parser.parse_best(alternatives, on_table)
        else:
            parse = self.parser.parse(text, on_table)
        reply = self._respond(ctx, state, parse)
        state.failures = state.failures + 1 if reply.failed else 0
        if state.failures >= FAILURES_BEFORE_OFFER:
            state.failures = 0
            state.handoff = state.handoff or "failures"  # an adviser is asked to join
            reply = Reply(ctx.phrases.say("repair_offer"), failed=True)
        reply.intent = reply.intent or parse.intent  # a handler may say what it did instead
        reply.slots, reply.confidence = parse.slots, parse.confidence
        reply.unmatched = parse.unmatched
        if reply.products and reply.intent == OUT_OF_SCOPE:  # the turn did search
            reply.intent = "search"
        state.history.append({"user": parse.text, "intent": parse.intent, "reply": reply.text})
        del state.history[:-HISTORY]
        return reply

    def _silence(self, ctx: TurnContext, state: DialogueState) -> Reply:
        """Nothing was heard: ask once whether the shopper is still there, then stop."""
        state.silences += 1
        if state.silences >= 2:
            return Reply(ctx.phrases.say("silence_goodbye"), end_session=True, intent="silence")
        return Reply(ctx.phrases.say("still_there"), intent="silence")

    def _respond(self, ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
        if state.promo:
            accepted = code_said(ctx, state, parse.text)
            if accepted:
                state.pending = None
                return accepted
        pending, state.pending = state.pending, None
        if pending:
            reply = self._answer(ctx, state, parse, pending)
            if reply:
                return reply
            if parse.intent == OUT_OF_SCOPE:  # not an answer: ask the question again
                state.pending = pending
                return Reply(f"{ctx.phrases.say('pardon')} {state.last_reply}")
        if parse.intent in CONFIRMED_INTENTS and parse.confidence < CONFIRM_BELOW:
            state.pending = Pending(QuestionKind.CONFIRM, data={"parse": parse.to_dict()})
            action = ctx.phrases.fragment(f"action_{parse.intent}")
            return ctx.say("did_you_mean", action=action)
        return self._handle(ctx, state, parse)

    def _handle(self, ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
        handler = intent_handler(parse.intent)
        if handler is None:
            return ctx.failed("not_understood")
        return handler(ctx, state, parse)

    # -- pending questions ---------------------------------------------------------
    def _answer(
        self, ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
    ) -> Reply | None:
        """The reply when the turn answers the question pending, else None (the turn
        is then handled as if nothing were asked: a new request overrides it)."""
        if pending.kind is QuestionKind.CONFIRM:
            if parse.intent == "yes":
                meant = Parse(**{**pending.data["parse"], "confidence": 1.0})
                return self._handle(ctx, state, meant)
            if parse.intent in ("no", "cancel"):
                return ctx.say("ok_what_then")
            return None
        if pending.kind is QuestionKind.WHICH_PRODUCT:
            return self._which_answer(ctx, state, parse, pending)
        handler = answer_handler(pending.kind)
        reply = handler(ctx, state, parse, pending) if handler else None
        if reply:
            reply.intent = reply.intent or answered_intent(pending.kind)
        return reply

    def _which_answer(
        self, ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
    ) -> Reply | None:
        """ "The second one" after "which one?": the turn that asked, about that one."""
        if parse.intent in NEW_REQUESTS:
            return None
        product = pick_answer(ctx, pending, parse)
        if product is None:
            return None
        asked = Parse(**pending.data["parse"])
        carried = {k: parse.slots[k] for k in CARRIED_SLOTS if parse.slots.get(k)}
        slots = {k: v for k, v in asked.slots.items() if k not in ("ordinal", "ordinals")}
        slots.pop("product", None)
        state.focus = product.id
        reply = self._handle(ctx, state, replace(asked, slots={**slots, **carried}))
        reply.intent = reply.intent or asked.intent
        return reply

    # -- helpers -------------------------------------------------------------------
    def _best_match(self, query: str) -> Hit | None:
        hits = self.search.search(query, limit=1, lang=self.lang)
        return hits[0] if hits and hits[0].score >= BEST_MATCH_SCORE else None


__all__ = ["OUT_OF_SCOPE", "ShoppingSkill"]
