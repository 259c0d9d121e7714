"""The shopping skill: one turn in, one reply out, over a session's state.

Intent handlers live here; what they say lives in the language data, what they
know about products comes from the catalogue, and cart and answer details are
in their own modules. A handler changes only the state object it is given:
the session store saves it only when the whole turn succeeded.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import sqlite_utils
from rapidfuzz import fuzz
from text_to_num import alpha2digit

from catalog.lookup import ProductInfo, get_product
from catalog.search import CatalogSearch, Hit
from catalog.text import fold
from skills.callbacks import callback_time
from skills.campaigns.engine import CampaignEngine, accept_code
from skills.campaigns.rules import load_rules
from skills.contact import phone_from, phone_read_back
from skills.customers import CustomerBook
from skills.dialogue import aftersales, answers, cart, discovery, privacy_talk
from skills.dialogue.persona import Persona, load_persona
from skills.dialogue.phrases import Phrases
from skills.dialogue.policy import load_policy
from skills.dialogue.qualification import LeadForm
from skills.dialogue.state import DialogueState
from skills.dialogue.turn_events import Before, funnel_events, triggers
from skills.nlu.matcher import OUT_OF_SCOPE, IntentParser, Parse
from skills.nlu.normalize import normalize_text
from skills.orders import Order, OrderBook
from skills.periods import resolve_period
from skills.reply import Reply
from skills.schedule import AdviserHours, load_hours

HISTORY = 60  # turns kept for a hand-off
CRITERIA_SLOTS = ("product", "category", "brand", "colour", "size", "budget", "recipient", "use")
DIRECT_ADD_SCORE = 0.75  # "add milk to my cart" adds the best match when it is this good
CONFIRM_BELOW = 0.8  # a cart or session change understood with less confidence is checked
CONFIRMED_INTENTS = ("add_to_cart", "remove_from_cart", "checkout", "cancel", "human")
FAILURES_BEFORE_OFFER = 2


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
        self.campaigns = CampaignEngine(self.rules, self.policy, self.phrases, self._best_match)
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
        self.orders: OrderBook | None = None  # the customers' orders, when the shop has them
        self.customers: CustomerBook | None = None  # customer records and consents
        self.hours: AdviserHours = load_hours()
        self.lead = LeadForm(self.phrases, self.policy["home_country"])

    # -- entry point ---------------------------------------------------------------
    def turn(
        self,
        state: DialogueState,
        text: str = "",
        alternatives: Sequence[tuple[str, float]] = (),
    ) -> Reply:
        before = Before.of(state)
        if not alternatives and not text.strip():
            reply = self._silence(state)
        else:
            reply = self._understood(state, text, alternatives)
        if before.first and state.context.get("saved_cart"):
            reply.text = f"{reply.text} {cart.offer_saved(state, self.phrases)}"
        for trigger in triggers(before, state):
            self.campaigns.fire(trigger, state, reply, self.clock())
        reply.events[:0] = funnel_events(before, state, reply)
        state.last_reply = reply.text
        return reply

    def _understood(
        self, state: DialogueState, text: str, alternatives: Sequence[tuple[str, float]]
    ) -> Reply:
        state.silences = 0
        on_table = bool(state.proposed or state.focus or state.cart)
        if alternatives:
            parse = self.parser.parse_best(alternatives, on_table)
        else:
            parse = self.parser.parse(text, on_table)
        reply = self._respond(state, parse)
        state.failures = state.failures + 1 if reply.failed else 0
        if state.failures >= FAILURES_BEFORE_OFFER:
            state.failures = 0
            state.handoff = state.handoff or "failures"  # an adviser is asked to join
            reply = Reply(self.phrases.say("repair_offer"), failed=True)
        reply.intent = reply.intent or parse.intent  # a handler may say what it did instead
        reply.slots, reply.confidence = parse.slots, parse.confidence
        reply.unmatched = parse.unmatched
        if reply.products and parse.intent == OUT_OF_SCOPE:  # the turn did search
            reply.intent = "search"
        state.history.append({"user": parse.text, "intent": parse.intent, "reply": reply.text})
        del state.history[:-HISTORY]
        return reply

    def _silence(self, state: DialogueState) -> Reply:
        """Nothing was heard: ask once whether the shopper is still there, then stop."""
        state.silences += 1
        if state.silences >= 2:
            return Reply(self.phrases.say("silence_goodbye"), end_session=True, intent="silence")
        return Reply(self.phrases.say("still_there"), intent="silence")

    def _respond(self, state: DialogueState, parse: Parse) -> Reply:
        if state.promo:
            percent = self._promo_code_said(state, parse.text)
            if percent:
                state.pending = None
                return self._say("promo_accepted", percent=self.phrases.number(percent))
        pending = state.pending
        state.pending = None
        if pending:
            reply = self._answer_pending(state, parse, pending)
            if reply:
                return reply
            if parse.intent == OUT_OF_SCOPE:  # not an answer: ask the question again
                state.pending = pending
                return Reply(f"{self.phrases.say('pardon')} {state.last_reply}")
        if parse.intent in CONFIRMED_INTENTS and parse.confidence < CONFIRM_BELOW:
            state.pending = {"kind": "confirm", "parse": parse.to_dict()}
            action = self.phrases.fragment(f"action_{parse.intent}")
            return self._say("did_you_mean", action=action)
        handler = getattr(self, f"_on_{parse.intent}", None)
        if handler is None:
            return self._failed("not_understood")
        return handler(state, parse)

    # -- pending questions ---------------------------------------------------------
    def _answer_pending(self, state: DialogueState, parse: Parse, pending: dict) -> Reply | None:
        kind, slots = pending["kind"], parse.slots
        if kind == "confirm":
            if parse.intent == "yes":
                meant = Parse(**{**pending["parse"], "confidence": 1.0})
                return getattr(self, f"_on_{meant.intent}")(state, meant)
            if parse.intent in ("no", "cancel"):
                return self._say("ok_what_then")
            return None
        if kind == "cancel_order":
            if parse.intent == "yes":
                reply = self._say(
                    "cancel_order_done",
                    order=aftersales.spoken_order(pending["order"]),
                    total=pending["total"],
                    days=self.policy["returns"]["refund_days"],
                )
                reply.events.append({"kind": "order_cancelled", "order": pending["order"]})
                return reply
            if parse.intent in ("no", "cancel"):
                return self._say("cancel_order_kept")
            return None
        if kind == "email_invoice":
            if parse.intent == "yes":
                numbers = " ".join(pending["invoices"])
                state.followups.append(
                    {
                        "reason": f"send_invoice {numbers}",
                        "channel": "email",
                        "rule": numbers,
                        "transactional": True,  # asked for: no marketing consent needed
                    }
                )
                return self._say("invoice_emailed")
            if parse.intent in ("no", "cancel"):
                return self._say("no_nothing_pending")
            return None
        if kind == "complaint_handoff":
            if parse.intent == "yes":
                state.handoff = "complaint"
                return self._say("handoff")
            if parse.intent in ("no", "cancel"):
                ticket = aftersales.spoken_order(pending["ticket"])
                return self._say("complaint_no_handoff", ticket=ticket)
            return None
        if kind == "lead":
            return self.lead.answer(state, parse, pending)
        if kind == "callback_when":
            return self._callback_when(state, parse)
        if kind == "callback_phone":
            if parse.intent in ("no", "cancel"):
                return self._say("callback_none")
            return self._callback_phone(state, parse, pending)
        if kind == "callback_confirm":
            if parse.intent == "yes":
                return self._book_callback(state, pending["at"], pending["phone"])
            state.pending = {"kind": "callback_phone", "at": pending["at"]}
            return self._say("callback_which_number")
        if kind == "erase":
            if parse.intent == "yes":
                reply = self._say("forget_done")
                reply.end_session = True
                reply.events.append({"kind": "erase_customer"})
                return reply
            if parse.intent in ("no", "cancel"):
                return self._say("forget_kept")
            return None
        if kind == "consent_which":
            purpose = privacy_talk.purpose_said(parse.text, self.phrases.lexicon)
            return self._withdraw(state, purpose, parse.text) if purpose else None
        if kind == "restore_cart":
            if parse.intent == "yes":
                return Reply(cart.restore_saved(state, self.phrases))
            if parse.intent in ("no", "cancel"):
                state.context.pop("saved_cart", None)
                reply = self._say("saved_cart_dropped")
                reply.events.append({"kind": "saved_cart_declined"})
                return reply
            return None
        if kind == "promo_code":
            if parse.intent in ("no", "cancel"):
                state.promo = None
                return self._say("promo_none")
            state.pending = pending
            if parse.intent == "yes":
                return self._say("promo_go_ahead")
            if parse.intent == OUT_OF_SCOPE:
                return self._failed("promo_unknown")
            state.pending = None
            return None
        if kind == "checkout":
            if parse.intent == "yes":
                return self._place_order(state)
            if parse.intent in ("no", "cancel"):
                return self._say("order_cancelled")
            return None
        if kind == "variant":
            attribute = pending["attribute"]
            value = slots.get(attribute) or self._option_said(parse.text, pending["options"])
            if value:
                product = get_product(self.db, pending["product_id"])
                wanted = {**pending["chosen"], attribute: value}
                return self._add(state, product, pending["quantity"], wanted)
            if parse.intent in ("no", "cancel"):
                return self._say("no_nothing_pending")
            return None
        if kind == "question" and parse.intent not in (
            "cancel",
            "human",
            "help",
            "repeat",
            "read_cart",
            "checkout",
        ):
            answer = self._criteria_from(slots)
            if parse.intent == "search" and answer.get("product"):
                return None  # a new request replaces the question
            if pending["attribute"] == "recipient" and "recipient" not in answer:
                said = self._recipient_said(parse.text)  # "my dad", without "for"
                if said:
                    answer["recipient"], phrase = said
                    if answer.get("product") in phrase.split():
                        del answer["product"]  # "ma fille" names no "fille" product
            if pending["attribute"] == "category" and "category" not in answer:
                category = self._option_said(parse.text, pending["labels"])
                if category:
                    answer["category"] = pending["options"][pending["labels"].index(category)]
            if (
                pending["attribute"] == "budget"
                and "budget" not in answer
                and slots.get("quantity")
            ):
                answer["budget"] = {"max": float(slots["quantity"])}  # "fifty" after "what budget?"
            state.criteria.update(answer)
            return self._discover(state)
        return None

    # -- discovery -----------------------------------------------------------------
    def _on_search(self, state: DialogueState, parse: Parse) -> Reply:
        new = self._criteria_from(parse.slots)
        if not new:
            return self._failed("not_understood")
        state.criteria, state.excluded, state.questions_asked = new, [], 0
        state.proposed, state.focus = [], None
        if new.get("use") == "gift" and not new.keys() & {"recipient", "product", "category"}:
            return self._ask_recipient(state)
        return self._discover(state)

    def _on_gift(self, state: DialogueState, parse: Parse) -> Reply:
        """ "I need a gift": a search whose first question is who it is for."""
        return self._on_search(state, replace(parse, slots={**parse.slots, "use": "gift"}))

    def _ask_recipient(self, state: DialogueState) -> Reply:
        recipients = self.phrases.lexicon["recipients"]
        state.pending = {
            "kind": "question",
            "attribute": "recipient",
            "options": list(recipients),
            "labels": [spoken[0] for spoken in recipients.values()],
        }
        return self._say("ask_recipient")

    def _on_refine(self, state: DialogueState, parse: Parse) -> Reply:
        if not state.criteria and parse.slots.get("product"):  # "cheap headphones?" first
            reply = self._on_search(state, parse)
            reply.intent = "search"
            return reply
        cues = parse.slots.get("cues", [])
        criteria = dict(state.criteria)
        criteria.update(self._criteria_from(parse.slots, keep_product=False))
        shown = [h for h in (get_product(self.db, pid) for pid in state.proposed) if h]
        if "cheaper" in cues and shown:
            criteria["budget"] = {"max": round(min(p.price for p in shown) - 0.01, 2)}
        elif "dearer" in cues and shown:
            criteria["budget"] = {"min": round(max(p.price for p in shown) + 0.01, 2)}
        if "other_brand" in cues and shown:
            criteria["exclude_brands"] = sorted({p.brand for p in shown if p.brand})
        if "other" in cues:
            state.excluded = list(dict.fromkeys([*state.excluded, *state.proposed]))
        if criteria == state.criteria and not cues:
            return self._failed("not_understood")
        state.criteria = criteria
        state.questions_asked = discovery.MAX_QUESTIONS  # refining means: show me
        reply = self._discover(state)
        if not reply.products and ("cheaper" in cues or "dearer" in cues):
            return self._say("refine_none" if "cheaper" in cues else "refine_none_dearer")
        return reply

    def _discover(self, state: DialogueState) -> Reply:
        criteria = state.criteria
        pool = discovery.candidates(self.search, criteria, self.lang, state.excluded)
        if criteria.get("exclude_brands"):
            pool = [h for h in pool if h.brand not in criteria["exclude_brands"]]
        if not pool:
            return self._nothing_found(criteria)
        if discovery.is_vague(criteria, pool):
            question = discovery.next_question(criteria, pool, state.questions_asked)
            if question:
                state.questions_asked += 1
                return self._ask(state, question)
        return self._propose(state, pool[: self.proposals])

    def _ask(self, state: DialogueState, question: discovery.Question) -> Reply:
        labels = [self.phrases.category(o) for o in question.options]
        state.pending = {
            "kind": "question",
            "attribute": question.attribute,
            "options": question.options,
            "labels": labels,
        }
        prefix = ""
        recipient = state.criteria.get("recipient")
        if recipient and state.questions_asked == 1 and not self.persona.short:
            prefix = self.phrases.say("recipient_ack", recipient=self.phrases.recipient(recipient))
        if question.attribute == "category":
            text = self.phrases.say("ask_category", options=self.phrases.join(labels, "or"))
        else:
            text = self.phrases.say("ask_budget")
        return Reply(f"{prefix} {text}".strip())

    def _propose(self, state: DialogueState, hits: list[Hit]) -> Reply:
        state.proposed = [h.id for h in hits]
        state.focus = hits[0].id if len(hits) == 1 else None
        items = []
        for position, hit in enumerate(hits, 1):
            items.append(
                self.phrases.say(
                    "propose_item",
                    ordinal=self.phrases.ordinal(position),
                    title=hit.title,
                    price=self.phrases.price(hit.price, hit.currency),
                    feature=self._feature(hit, hits),
                )
            )
        if len(hits) == 1:
            text = self.phrases.say(
                "propose_one",
                product=f"{hits[0].title}, {self.phrases.price(hits[0].price, hits[0].currency)}",
            )
        else:
            text = self.phrases.say("propose_many", count=len(hits), items=". ".join(items))
        return Reply(text, products=[_product_dict(h) for h in hits])

    def _feature(self, hit: Hit, hits: list[Hit]) -> str:
        """One thing that sets this product apart from the others proposed: the best
        rating, the lowest price, or the most colours."""
        if len(hits) < 2:
            return ""
        ratings = [h.rating or 0 for h in hits]
        if hit.rating and hit.rating == max(ratings) and ratings.count(hit.rating) == 1:
            return self.phrases.say("feature_best_rated", rating=self.phrases.number(hit.rating))
        prices = [h.price for h in hits]
        if hit.price == min(prices) and prices.count(hit.price) == 1:
            return self.phrases.say("feature_cheapest")
        return ""

    def _nothing_found(self, criteria: dict) -> Reply:
        budget = criteria.get("budget") or {}
        if budget.get("max") is not None:
            wider = {k: v for k, v in criteria.items() if k != "budget"}
            pool = discovery.candidates(self.search, wider, self.lang, [])
            if pool:
                cheapest = min(pool, key=lambda h: h.price)
                return self._say(
                    "nothing_found_budget",
                    budget=self.phrases.price(budget["max"]),
                    title=cheapest.title,
                    price=self.phrases.price(cheapest.price, cheapest.currency),
                )
        what = criteria.get("product") or self.phrases.category(criteria.get("category", ""))
        return self._say("nothing_found", what=what or "that")

    def _on_choose(self, state: DialogueState, parse: Parse) -> Reply:
        product = self._product(state, parse)
        if not product:
            return self._say("which_product")
        state.focus = product.id
        text = answers.price(product, self.phrases)
        colours = product.colours(in_stock=True)
        if colours:
            text += " " + answers.colours(product, {}, self.phrases)
        return Reply(text, products=[_info_dict(product, self.lang)])

    # -- product questions ---------------------------------------------------------
    def _about(self, state: DialogueState, parse: Parse, answer) -> Reply:
        product = self._product(state, parse)
        if not product:
            return self._say("which_product")
        state.focus = product.id
        return Reply(answer(product), products=[_info_dict(product, self.lang)])

    def _on_ask_price(self, state: DialogueState, parse: Parse) -> Reply:
        return self._about(state, parse, lambda p: answers.price(p, self.phrases))

    def _on_ask_stock(self, state: DialogueState, parse: Parse) -> Reply:
        return self._about(state, parse, lambda p: answers.stock(p, parse.slots, self.phrases))

    def _on_ask_sizes(self, state: DialogueState, parse: Parse) -> Reply:
        return self._about(state, parse, lambda p: answers.sizes(p, parse.slots, self.phrases))

    def _on_ask_colours(self, state: DialogueState, parse: Parse) -> Reply:
        return self._about(state, parse, lambda p: answers.colours(p, parse.slots, self.phrases))

    def _on_ask_delivery(self, state: DialogueState, parse: Parse) -> Reply:
        return Reply(answers.delivery(self.policy, parse.slots, self.phrases))

    def _on_ask_returns(self, state: DialogueState, parse: Parse) -> Reply:
        return Reply(answers.returns(self.policy, self.phrases))

    def _on_ask_warranty(self, state: DialogueState, parse: Parse) -> Reply:
        return Reply(answers.warranty(self.policy, self.phrases))

    def _on_ask_payment(self, state: DialogueState, parse: Parse) -> Reply:
        return Reply(answers.payment(self.policy, self.phrases))

    def _on_compare(self, state: DialogueState, parse: Parse) -> Reply:
        positions = parse.slots.get("ordinals") or [1, 2]
        ids = [_at(state.proposed, p) for p in positions[:2]]
        if len(positions) == 1 and state.focus:
            ids = [state.focus, _at(state.proposed, positions[0])]
        products = [get_product(self.db, i) for i in ids if i]
        if len(products) < 2 or products[0].id == products[1].id:
            return self._say("compare_need_two")
        return Reply(
            answers.compare(products[0], products[1], self.phrases),
            products=[_info_dict(p, self.lang) for p in products],
        )

    # -- cart ----------------------------------------------------------------------
    def _on_add_to_cart(self, state: DialogueState, parse: Parse) -> Reply:
        product = self._product(state, parse)
        named = parse.slots.get("product")
        if product is None and named and self._names_a_product(named):
            hits = self.search.search(named, limit=3, lang=self.lang)
            if hits and hits[0].score >= DIRECT_ADD_SCORE:
                product = get_product(self.db, hits[0].id)
            elif hits:
                return self._propose(state, hits)
        if product is None:
            return self._say("which_product")
        wanted = {k: parse.slots[k] for k in ("colour", "size") if parse.slots.get(k)}
        return self._add(state, product, parse.slots.get("quantity") or 1, wanted)

    def _add(
        self, state: DialogueState, product: ProductInfo, quantity: int, wanted: dict
    ) -> Reply:
        reply_products = [_info_dict(product, self.lang)]
        if not product.variants:
            return Reply(cart.add(state, product, quantity, None, self.phrases), reply_products)
        matching = product.matching(wanted.get("colour"), wanted.get("size"))
        if not matching:
            return Reply(answers.stock(product, wanted, self.phrases), reply_products)
        for attribute, values in (
            ("size", {v.size for v in matching if v.size}),
            ("colour", {v.colour for v in matching if v.colour}),
        ):
            if len(values) > 1:
                options = product.sizes() if attribute == "size" else product.colours()
                options = [o for o in options if o in values]
                labels = (
                    options if attribute == "size" else [self.phrases.colour(o) for o in options]
                )
                state.pending = {
                    "kind": "variant",
                    "attribute": attribute,
                    "options": options,
                    "labels": labels,
                    "product_id": product.id,
                    "quantity": quantity,
                    "chosen": wanted,
                }
                state.focus = product.id
                word = self.phrases.responses[f"{attribute}_word"]
                text = self.phrases.say(
                    "need_variant", attribute=word, options=self.phrases.join(labels, "or")
                )
                return Reply(text, reply_products)
        in_stock = [v for v in matching if v.stock > 0]
        if not in_stock:
            return Reply(answers.stock(product, wanted, self.phrases), reply_products)
        return Reply(cart.add(state, product, quantity, in_stock[0], self.phrases), reply_products)

    def _on_remove_from_cart(self, state: DialogueState, parse: Parse) -> Reply:
        if "clear" in parse.slots.get("cues", []):
            state.cart.clear()
            return self._say("cart_cleared")
        product = self._product(state, parse, cart_first=True)
        line = cart.find_line(state, product.id if product else None, None)
        if line is None and len(state.cart) == 1:
            line = state.cart[0]
        if line is None:
            if product:
                return self._say("not_in_cart", title=product.title(self.lang))
            return Reply(cart.read(state, self.phrases))
        return Reply(cart.remove(state, line, self.phrases))

    def _on_change_quantity(self, state: DialogueState, parse: Parse) -> Reply:
        line = cart.find_line(state, state.last_line or state.focus, None)
        if line is None:
            line = state.cart[-1] if state.cart else None
        if line is None:
            return self._say("cart_empty")
        cues = parse.slots.get("cues", [])
        if "more" in cues:
            quantity = line.quantity + 1
        elif "less" in cues:
            quantity = line.quantity - 1
        else:
            quantity = parse.slots.get("quantity") or line.quantity
        return Reply(cart.set_quantity(state, line, quantity, self.phrases))

    def _on_read_cart(self, state: DialogueState, parse: Parse) -> Reply:
        return Reply(cart.read(state, self.phrases))

    def _on_checkout(self, state: DialogueState, parse: Parse) -> Reply:
        if not state.cart:
            return self._say("cart_empty")
        state.pending = {"kind": "checkout"}
        total = self.phrases.price(state.payable_total(), state.cart[0].currency)
        count = state.cart_count()
        if count == 1:
            reply = self._say("checkout_confirm_one", total=total)
        else:
            reply = self._say("checkout_confirm", count=count, total=total)
        if state.discount:
            percent = self.phrases.number(state.discount["percent"])
            reply.text += " " + self.phrases.say("discount_included", percent=percent)
        return reply

    def _place_order(self, state: DialogueState) -> Reply:
        order_id = uuid.uuid4().hex[:8].upper()
        total = state.payable_total()
        currency = state.cart[0].currency
        state.orders.append(
            {
                "id": order_id,
                "lines": [line.__dict__.copy() for line in state.cart],
                "total": total,
                "currency": currency,
                "discount": state.discount,
            }
        )
        state.cart.clear()
        state.discount = None
        return self._say(
            "order_placed",
            order=aftersales.spoken_order(order_id),
            total=self.phrases.price(total, currency),
        )

    # -- after the purchase ----------------------------------------------------------
    def _customer_orders(self, state: DialogueState, parse: Parse) -> tuple[list[Order], str]:
        """The customer's orders in the period said (all when none), and the period as
        said back; empty when the customer is not known."""
        customer = state.context.get("customer_id")
        if not customer or self.orders is None:
            return [], ""
        said = parse.slots.get("period")
        if not said:
            return self.orders.for_customer(customer), ""
        period = resolve_period(said, self.lang, self.clock(), self._zone(state))
        if period is None:
            return [], said
        found = self.orders.for_customer(customer, period.start.timestamp(), period.end.timestamp())
        return found, aftersales.period_text(period, self.phrases)

    def _zone(self, state: DialogueState) -> str:
        return state.context.get("timezone") or self.policy["timezone"]

    def _unknown_customer(self, state: DialogueState) -> Reply | None:
        if not state.context.get("customer_id") or self.orders is None:
            return self._failed("orders_need_customer")
        return None

    def _on_order_status(self, state: DialogueState, parse: Parse) -> Reply:
        refused = self._unknown_customer(state)
        if refused:
            return refused
        orders, period = self._customer_orders(state, parse)
        if not orders:
            return self._no_orders(period)
        now = self.clock().timestamp()
        return Reply(
            aftersales.status(orders[0], now, self._zone(state), self.policy, self.phrases)
        )

    def _on_cancel_order(self, state: DialogueState, parse: Parse) -> Reply:
        refused = self._unknown_customer(state)
        if refused:
            return refused
        orders, period = self._customer_orders(state, parse)
        orders = [o for o in orders if o.status != "cancelled"]
        if not orders:
            return self._no_orders(period)
        order, now = orders[0], self.clock().timestamp()
        said = aftersales.spoken_order(order.id)
        if aftersales.has_left(order, now):
            returns = self.policy["returns"]
            return self._say(
                "cancel_order_too_late",
                order=said,
                days=returns["days"],
                cost=returns["cost"][self.lang],
            )
        total = self.phrases.price(order.total, order.currency)
        state.pending = {"kind": "cancel_order", "order": order.id, "total": total}
        date = aftersales.day_text(order.placed_at, self._zone(state), self.phrases)
        return self._say("cancel_order_confirm", order=said, date=date, total=total)

    def _on_invoice(self, state: DialogueState, parse: Parse) -> Reply:
        refused = self._unknown_customer(state)
        if refused:
            return refused
        orders, period = self._customer_orders(state, parse)
        orders = [o for o in orders if o.status != "cancelled" and o.invoice]
        if not orders:
            return self._no_orders(period, "no_invoice_period")
        if not parse.slots.get("period"):
            orders = orders[:1]  # "my invoice": the last one
        state.pending = {"kind": "email_invoice", "invoices": [o.invoice for o in orders]}
        return Reply(aftersales.invoices(orders, self._zone(state), self.phrases, period))

    def _no_orders(self, period: str, key: str = "no_orders_period") -> Reply:
        if period:
            return self._say(key, period=period)
        return self._say("no_orders")

    def _on_complaint(self, state: DialogueState, parse: Parse) -> Reply:
        category = aftersales.complaint_category(parse.text, self.phrases.lexicon)
        ticket = "T" + uuid.uuid4().hex[:7].upper()
        state.pending = {"kind": "complaint_handoff", "ticket": ticket}
        reply = self._say(
            "complaint_recorded",
            category=self.phrases.fragment(f"complaint_{category}"),
            ticket=aftersales.spoken_order(ticket),
        )
        reply.events.append({"kind": "complaint", "ticket": ticket, "category": category})
        return reply

    def _on_sign_up(self, state: DialogueState, parse: Parse) -> Reply:
        return self.lead.start(state)

    # -- privacy -------------------------------------------------------------------
    def _known_customer(self, state: DialogueState) -> str | None:
        customer = state.context.get("customer_id")
        return customer if customer and self.customers is not None else None

    def _on_my_data(self, state: DialogueState, parse: Parse) -> Reply:
        customer = self._known_customer(state)
        if not customer:
            return self._say("my_data_unknown")
        orders = self.orders.for_customer(customer) if self.orders else []
        return Reply(
            privacy_talk.summary(
                self.customers.get(customer) or {},
                self.customers.consents(customer),
                orders,
                bool(state.context.get("saved_cart")),
                self._zone(state),
                self.phrases,
            )
        )

    def _on_forget_me(self, state: DialogueState, parse: Parse) -> Reply:
        if not self._known_customer(state):
            return self._say("my_data_unknown")
        state.pending = {"kind": "erase"}
        return self._say("forget_confirm")

    def _on_withdraw_consent(self, state: DialogueState, parse: Parse) -> Reply:
        if not self._known_customer(state):
            return self._say("my_data_unknown")
        purpose = privacy_talk.purpose_said(parse.text, self.phrases.lexicon)
        if purpose is None:
            state.pending = {"kind": "consent_which"}
            return self._say("consent_which")
        return self._withdraw(state, purpose, parse.text)

    def _withdraw(self, state: DialogueState, purpose: str, said: str) -> Reply:
        reply = self._say("consent_withdrawn", purpose=self.phrases.fragment(f"purpose_{purpose}"))
        reply.events.append(
            {"kind": "consent", "purpose": purpose, "granted": False, "wording": said}
        )
        return reply

    # -- conversation --------------------------------------------------------------
    def _on_greet(self, state: DialogueState, parse: Parse) -> Reply:
        return self._say("greet")

    def _on_help(self, state: DialogueState, parse: Parse) -> Reply:
        return self._say("help")

    def _on_repeat(self, state: DialogueState, parse: Parse) -> Reply:
        return Reply(state.last_reply or self.phrases.say("greet"))

    def _on_yes(self, state: DialogueState, parse: Parse) -> Reply:
        return self._say("yes_nothing_pending")

    def _on_no(self, state: DialogueState, parse: Parse) -> Reply:
        return self._say("no_nothing_pending")

    def _on_cancel(self, state: DialogueState, parse: Parse) -> Reply:
        reply = self._say("cancelled")
        reply.end_session = True
        return reply

    def _on_human(self, state: DialogueState, parse: Parse) -> Reply:
        if not self.hours.is_open(self.clock()):
            state.pending = {"kind": "callback_when"}
            return self._say("no_adviser_now", hours=self._hours_said())
        state.handoff = "asked"
        return self._say("handoff")

    def _hours_said(self) -> str:
        return self.hours.describe(self.lang, self.phrases.fragment("to_word"))

    # -- callbacks -----------------------------------------------------------------
    def _callback_when(self, state: DialogueState, parse: Parse) -> Reply | None:
        if parse.intent in ("no", "cancel"):
            return self._say("callback_none")
        said = alpha2digit(normalize_text(parse.text, self.lang), self.lang, threshold=0)
        zone = self._zone(state)
        moment = callback_time(said, self.phrases.lexicon, self.lang, self.clock(), zone)
        state.pending = {"kind": "callback_when"}
        if moment is None:
            return self._failed("callback_when_again")
        if not self.hours.is_open(moment):
            return self._say("callback_closed_then", hours=self._hours_said())
        customer = self._known_customer(state)
        record = self.customers.get(customer) if customer else None
        if record and record.get("phone"):
            return self._book_callback(state, moment.timestamp(), record["phone"])
        state.pending = {"kind": "callback_phone", "at": moment.timestamp()}
        return self._say("callback_which_number")

    def _callback_phone(self, state: DialogueState, parse: Parse, pending: dict) -> Reply:
        said = alpha2digit(normalize_text(parse.text, self.lang), self.lang, threshold=0)
        region = state.context.get("country") or self.policy["home_country"]
        phone = phone_from(said, region)
        if phone is None:
            state.pending = pending
            return self._failed("callback_number_again")
        state.pending = {"kind": "callback_confirm", "at": pending["at"], "phone": phone}
        return self._say("callback_read_back", number=phone_read_back(phone, region))

    def _book_callback(self, state: DialogueState, at: float, phone: str) -> Reply:
        zone = self._zone(state)
        moment = datetime.fromtimestamp(at, ZoneInfo(zone))
        reply = self._say(
            "callback_booked",
            day=aftersales.day_text(at, zone, self.phrases),
            time=f"{moment.hour}:{moment.minute:02d}",
        )
        reply.events.append({"kind": "callback", "at": at, "phone": phone})
        return reply

    def _on_out_of_scope(self, state: DialogueState, parse: Parse) -> Reply:
        if parse.slots.get("product") and parse.confidence < 0.9:
            hits = self.search.search(parse.slots["product"], limit=3, lang=self.lang)
            if hits and hits[0].score >= DIRECT_ADD_SCORE:
                return self._on_search(state, parse)
        return self._failed("out_of_scope")

    # -- helpers -------------------------------------------------------------------
    def _promo_code_said(self, state: DialogueState, text: str) -> float | None:
        """The discount of a code of the shopper's campaign said in `text`, spelled
        or as words ("winter ten", "W I N T E R 1 0")."""
        spoken = alpha2digit(normalize_text(text, self.lang), self.lang, threshold=0)
        joined = "".join(spoken.split()).upper()
        campaign = self.rules.campaigns.get(state.promo["campaign"])
        for code in campaign.codes if campaign else ():
            if code in joined:
                return accept_code(self.rules, state, code)
        return None

    def _best_match(self, query: str) -> Hit | None:
        hits = self.search.search(query, limit=1, lang=self.lang)
        return hits[0] if hits and hits[0].score >= DIRECT_ADD_SCORE else None

    def _option_said(self, text: str, options: list[str]) -> str | None:
        """The option ("M", "noir", "1 l") that the answer names, if any."""
        units = {
            word: unit for unit, words in self.phrases.lexicon["units"].items() for word in words
        }
        spoken = alpha2digit(normalize_text(text, self.lang), self.lang, threshold=0)
        words = [units.get(w, w) for w in spoken.replace("-", " ").split()]
        for option in options:
            if option and all(w in words for w in option.lower().split()):
                return option
        return None

    def _recipient_said(self, text: str) -> tuple[str, str] | None:
        """Who a gift is for and the words that said it, when the answer names them
        without "for" ("my dad")."""
        said = {
            phrase: recipient
            for recipient, phrases in self.phrases.lexicon["recipients"].items()
            for phrase in phrases
        }
        found = self._option_said(text, sorted(said, key=len, reverse=True))
        return (said[found], found) if found else None

    def _say(self, key: str, **values: object) -> Reply:
        return Reply(self.phrases.say(key, **values))

    def _failed(self, key: str) -> Reply:
        reply = self._say(key)
        reply.failed = True
        return reply

    def _criteria_from(self, slots: dict, keep_product: bool = True) -> dict:
        criteria = {k: slots[k] for k in CRITERIA_SLOTS if slots.get(k)}
        if not keep_product:
            criteria.pop("product", None)
        category = criteria.get("category")
        if category and criteria.get("product"):
            words = {
                w for phrase in self.phrases.lexicon["categories"][category] for w in phrase.split()
            }
            if set(criteria["product"].split()) <= words:
                del criteria["product"]  # "shoes" alone names the category, not a product
        return criteria

    def _names_a_product(self, words: str) -> bool:
        """Whether any of the words is one the catalogue uses ("trolley" is not)."""
        known = self.search.known_words()
        return any(fold(w) in known for w in words.split())

    def _product(
        self, state: DialogueState, parse: Parse, cart_first: bool = False
    ) -> ProductInfo | None:
        """The product the shopper means: by position, by name among those offered,
        by name in the cart, else the one being talked about."""
        slots = parse.slots
        if slots.get("ordinal") and state.proposed and not cart_first:
            product_id = _at(state.proposed, slots["ordinal"])
            return get_product(self.db, product_id) if product_id else None
        named = slots.get("product")
        if named:
            pool = [line.product_id for line in state.cart] if cart_first else []
            pool += state.proposed + ([state.focus] if state.focus else [])
            best = None
            for product_id in dict.fromkeys(pool):
                product = get_product(self.db, product_id)
                if product is None:
                    continue
                score = fuzz.token_set_ratio(named, product.title(self.lang).lower())
                if score >= 70 and (best is None or score > best[0]):
                    best = (score, product)
            if best:
                return best[1]
            if self._names_a_product(named) and not cart_first:
                return None  # another product: the caller searches the catalogue for it
        if cart_first and slots.get("ordinal") and state.cart:
            line = cart.find_line(state, None, slots["ordinal"])
            return get_product(self.db, line.product_id) if line else None
        if state.focus:
            return get_product(self.db, state.focus)
        if len(state.proposed) == 1:
            return get_product(self.db, state.proposed[0])
        return None


def _at(ids: list[str], position: int) -> str | None:
    index = position - 1 if position > 0 else len(ids) + position
    return ids[index] if 0 <= index < len(ids) else None


def _product_dict(hit: Hit) -> dict:
    return {"id": hit.id, "title": hit.title, "price": hit.price}


def _info_dict(product: ProductInfo, lang: str) -> dict:
    return {"id": product.id, "title": product.title(lang), "price": product.price}


__all__ = ["OUT_OF_SCOPE", "ShoppingSkill"]
