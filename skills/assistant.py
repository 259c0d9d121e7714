"""The shopping assistant behind every channel (CLI, web app, replay): a turn of
text in, a reply out, with the session kept in the store.

It checks what callers send (text, language, session) before anything changes,
so bad input gets one clear sentence and leaves every session as it was.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from catalog.db import open_db
from catalog.demo import ensure_demo_catalog
from skills.biasing import ShopWordsCache, expected_phrases
from skills.callbacks import CallbackBook
from skills.campaigns.arrival import Arrival, ArrivalError, parse_arrival
from skills.campaigns.facts import SHOP_TIMEZONE
from skills.campaigns.rules import load_rules
from skills.campaigns.weather import FileWeather, WeatherSource
from skills.customers import CustomerBook
from skills.demo_orders import ensure_demo_orders
from skills.dialogue.manager import ShoppingSkill
from skills.dialogue.state import DialogueState
from skills.events import EventLog
from skills.followups import FollowUps
from skills.handoff import Handoff, HandoffQueue
from skills.nlu.language import LANGUAGES
from skills.orders import OrderBook
from skills.reply import Reply
from skills.segments import segments_of
from skills.store import Repeated, SessionStore, UnknownSessionError
from skills.tickets import TicketBook
from skills.turn_effects import AppliedTurn, Books, apply_effects

MAX_TEXT = 500  # characters in one spoken turn; more is not speech
CALLER_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # a turn id, or a session id a caller names


class TurnInputError(ValueError):
    """What the caller sent cannot be a turn; the message says why."""


@dataclass
class TurnResult:
    session_id: str
    transcript: str
    reply: Reply
    new_session: bool = False

    def to_dict(self) -> dict:
        reply = self.reply
        return {
            "session_id": self.session_id,
            "new_session": self.new_session,
            "transcript": self.transcript,
            "intent": reply.intent,
            "slots": reply.slots,
            "confidence": reply.confidence,
            "unmatched": reply.unmatched,
            "reply": reply.text,
            "ssml": reply.ssml,
            "products": reply.products,
            "end_session": reply.end_session,
        }

    @classmethod
    def from_dict(cls, data: dict) -> TurnResult:
        """The turn as `to_dict` gave it: for a retried turn id, answered again."""
        reply = Reply(
            data["reply"],
            products=data["products"],
            end_session=data["end_session"],
            intent=data["intent"],
            slots=data["slots"],
            confidence=data["confidence"],
            unmatched=data["unmatched"],
        )
        return cls(data["session_id"], data["transcript"], reply, data.get("new_session", False))


class Assistant:
    """One catalogue database, its sessions, and what they leave behind: events and
    orders. `demo=True` puts the demo catalogue and demo customers in it if missing.
    `weather` and `clock` are where forecasts and the time come from (a file and the
    system clock by default)."""

    def __init__(
        self,
        db_path: str,
        idle_s: float | None = None,
        weather: WeatherSource | None = None,
        clock: Callable[[], datetime] | None = None,
        demo: bool = False,
    ) -> None:
        self.db = open_db(db_path)
        if demo:  # only `voiceshop demo` and `voiceshop catalog demo` ask for it
            ensure_demo_catalog(self.db)
        self.sessions = SessionStore(db_path) if idle_s is None else SessionStore(db_path, idle_s)
        self.events = EventLog(db_path)
        self.orders = OrderBook(db_path)
        abandoned = load_rules().abandoned_cart
        self.followups = FollowUps(
            db_path,
            abandoned.after_hours * 3600,
            lambda customer: self.customers.allows(customer, "marketing"),
        )
        self.tickets = TicketBook(db_path)
        self.customers = CustomerBook(db_path)
        self.handoffs = HandoffQueue(db_path)
        self.callbacks = CallbackBook(db_path)
        self.books = Books(
            self.orders, self.tickets, self.customers, self.handoffs, self.callbacks, self.followups
        )
        self.weather = weather or FileWeather()
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        if demo:  # the demo customers' orders, over the demo catalogue
            ensure_demo_orders(self.orders, self.db, self.clock().timestamp())
        self._skills: dict[str, ShoppingSkill] = {}
        self._shop_words = ShopWordsCache(self.db)
        self._skills_lock = threading.Lock()

    def skill(self, lang: str) -> ShoppingSkill:
        with self._skills_lock:  # the web app's first requests may come together
            if lang not in self._skills:
                skill = ShoppingSkill(self.db, lang)
                skill.clock, skill.orders, skill.customers = self.clock, self.orders, self.customers
                self._skills[lang] = skill
            return self._skills[lang]

    def ask(
        self,
        text: str,
        session_id: str | None = None,
        lang: str = "en",
        alternatives: Sequence[tuple[str, float]] = (),
        heard: bool = False,
        context: object = None,
        turn_id: object = None,
        start_named: bool = False,
    ) -> TurnResult:
        """One turn; a new session when `session_id` is None, started with what
        `context` says of the arrival (campaign, referrer, country, region, timezone,
        customer_id; ignored for a running session). `heard=True` marks text from a
        recogniser, where an empty text is a silence (a turn of its own) rather than
        a mistake. With `start_named`, a `session_id` the caller names starts that
        session on first use, and afresh once expired (`new_session` says so).
        `turn_id`, the caller's name for this turn in a running session,
        makes it happen once: the same id again gets the same answer. Everything the
        turn does (state, events, orders, tickets, consents…) is kept together or not
        at all. Raises TurnInputError for unusable input and UnknownSessionError for
        an unknown or expired session."""
        text = _checked_text(text, alternatives, allow_empty=heard)
        turn_id = _checked_turn_id(turn_id, session_id)
        try:
            arrival = parse_arrival(context)
        except ArrivalError as exc:
            raise TurnInputError(str(exc)) from None
        new_session = session_id is None or (start_named and not self.sessions.live(session_id))
        if new_session and session_id is not None and not CALLER_ID.fullmatch(session_id):
            raise TurnInputError(
                "A session_id must be 1 to 128 of A-Z, a-z, 0-9, '.', '_', ':', '-'."
            )
        if new_session:
            if lang not in LANGUAGES:
                raise TurnInputError(
                    f"Language '{lang}' is not supported: choose one of {', '.join(LANGUAGES)}."
                )
            self.skill(lang)  # load before the session exists: a failure leaves nothing
            session_id = self._start(lang, arrival, session_id)
            adviser = None
        else:
            adviser = self.handoffs.active(session_id)
        if adviser and adviser.status == "claimed":
            return self._relay(session_id, adviser, text)

        def run(state):
            back = state.handoff and adviser is None  # the adviser handed it back
            state.handoff = None if back else state.handoff
            reply = self.skill(state.lang).turn(state, text, alternatives)
            if back:
                welcome = self.skill(state.lang).phrases.say("back_with_assistant")
                reply.text = f"{welcome} {reply.text}"
            return reply, state

        transcript = alternatives[0][0] if alternatives else text
        now = self.clock().timestamp()

        def keep(conn, result) -> None:  # in the transaction that saves the state
            reply, state = result
            turn = AppliedTurn(session_id, state.context.get("customer_id"), state, now)
            events = reply.events
            if turn.customer_id and not self.customers.allows(turn.customer_id, "recordings"):
                events = [{k: v for k, v in e.items() if k != "text"} for e in events]
            EventLog.write_in(conn, session_id, turn.customer_id, events)
            apply_effects(self.books, turn, reply.effects)

        def answer(result) -> dict:
            return TurnResult(session_id, transcript, result[0], new_session).to_dict()

        outcome = self.sessions.turn(session_id, run, keep, turn_id, answer)
        if isinstance(outcome, Repeated):
            return TurnResult.from_dict(outcome.answer)
        return TurnResult(session_id, transcript, outcome[0], new_session)

    def _relay(self, session_id: str, adviser: Handoff, text: str) -> TurnResult:
        """A turn while an adviser has the conversation: what the customer says goes to
        the adviser; what the adviser wrote is said to the customer."""
        messages = self.handoffs.pending_messages(session_id)

        def run(state):
            said = " ".join(m for _, m in messages)
            said = said or self.skill(state.lang).phrases.say("adviser_writing")
            state.history.append({"user": text, "intent": "relayed", "reply": said})
            state.last_reply = said
            event = {"kind": "intent", "intent": "relayed", "understood": True}
            return Reply(said, intent="relayed", events=[event]), state

        def log(conn, result) -> None:
            self.handoffs.mark_said(conn, [message_id for message_id, _ in messages])
            customer = result[1].context.get("customer_id")
            EventLog.write_in(conn, session_id, customer, result[0].events)

        reply, _ = self.sessions.turn(session_id, run, on_saved=log)
        self.handoffs.relay(adviser.id, text, reply.text)
        return TurnResult(session_id, text, reply)

    def _start(self, lang: str, arrival: Arrival, named: str | None = None) -> str:
        """A new session knowing the arrival, the weather there and the customer's
        past orders, as the marketing rules will ask; `named` is the id a caller
        gave it."""
        context = arrival.model_dump(exclude_none=True)
        if arrival.region:
            zone = ZoneInfo(arrival.timezone or SHOP_TIMEZONE)
            today = self.clock().astimezone(zone).date()
            context["weather"] = sorted(self.weather.conditions(arrival.region, today))
        customer = arrival.customer_id
        if customer:
            self.customers.ensure(customer)
        if customer and self.customers.allows(customer, "personalisation"):
            context["past_orders"] = self.orders.count_for(customer)
            context["segments"] = segments_of(self.db, customer, self.clock().timestamp())
            saved = self.followups.saved_cart(customer)
            if saved:
                context["saved_cart"] = saved
        if named is None:
            session_id, started = self.sessions.create(lang, context), True
        else:
            session_id, started = named, self.sessions.start_named(named, lang, context)
        if started:
            start = {"kind": "session_start", "lang": lang, "campaign": arrival.campaign}
            self.events.write(session_id, arrival.customer_id, [start])
        return session_id

    def expected_phrases(
        self, session_id: str | None, lang: str = "en", context: object = None
    ) -> list[str]:
        """What the shopper is likely to say next in this session, for the recogniser;
        before a new session's first turn, what its arrival `context` makes likely
        (a known customer asks about orders). A bad context biases nothing: the turn
        itself will refuse it."""
        if session_id:
            state = self.sessions.load(session_id)
        else:
            try:
                arrival = parse_arrival(context).model_dump(exclude_none=True)
            except ArrivalError:
                arrival = {}
            state = DialogueState(lang=lang, context=arrival)
        return expected_phrases(state, self._shop_words.get(state.lang), self.db)


def _lines(state: DialogueState) -> list[tuple[str, str | None, int]]:
    return [(line.product_id, line.sku, line.quantity) for line in state.cart]


def _checked_turn_id(turn_id: object, session_id: str | None) -> str | None:
    if turn_id is None:
        return None
    if not isinstance(turn_id, str) or not CALLER_ID.fullmatch(turn_id):
        raise TurnInputError("The turn_id must be 1 to 128 of A-Z, a-z, 0-9, '.', '_', ':', '-'.")
    if session_id is None:
        raise TurnInputError("A turn_id needs the session_id of a running session.")
    return turn_id


def _checked_text(
    text: object, alternatives: Sequence[tuple[str, float]], allow_empty: bool
) -> str:
    if alternatives:
        text = alternatives[0][0]
    if not isinstance(text, str):
        raise TurnInputError("The turn's text must be a string.")
    text = text.strip()
    if not text and not allow_empty:
        raise TurnInputError("The turn's text is empty: say or type something.")
    if len(text) > MAX_TEXT:
        raise TurnInputError(f"The turn's text is longer than {MAX_TEXT} characters.")
    return text


__all__ = ["CALLER_ID", "Assistant", "TurnInputError", "TurnResult", "UnknownSessionError"]
