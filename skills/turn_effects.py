"""A turn's effects applied to the books that keep them, from one table, inside
the turn's own transaction (the session store's): all of them are kept with the
session state, or none."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from skills.callbacks import CallbackBook
from skills.customers import CustomerBook
from skills.dialogue.effects import (
    CallbackBooked,
    CartChanged,
    ComplaintOpened,
    ConsentChanged,
    Effect,
    EraseCustomer,
    FollowUpNoted,
    HandoffRequested,
    LeadFieldConfirmed,
    OrderCancelled,
    OrderPlaced,
    SavedCartDeclined,
)
from skills.dialogue.state import DialogueState
from skills.followups import FollowUps
from skills.handoff import HandoffQueue, summarize
from skills.orders import OrderBook
from skills.tickets import TicketBook


@dataclass(frozen=True)
class Books:
    """Where effects are kept: one object per table family, all on one database."""

    orders: OrderBook
    tickets: TicketBook
    customers: CustomerBook
    handoffs: HandoffQueue
    callbacks: CallbackBook
    followups: FollowUps


@dataclass
class AppliedTurn:
    """The turn as its effects see it."""

    session_id: str
    customer_id: str | None  # an e-mail may merge the customer into one already known
    state: DialogueState
    now: float


Applier = Callable[[Books, AppliedTurn, Effect], None]
APPLIERS: dict[type, Applier] = {}


def applies(kind: type) -> Callable[[Applier], Applier]:
    def register(applier: Applier) -> Applier:
        APPLIERS[kind] = applier
        return applier

    return register


def apply_effects(books: Books, turn: AppliedTurn, effects: Iterable[Effect]) -> None:
    """Each effect in the order the turn decided them, an erasure last: it takes
    the session and all the rest with it."""
    for effect in sorted(effects, key=lambda effect: isinstance(effect, EraseCustomer)):
        APPLIERS[type(effect)](books, turn, effect)


@applies(OrderPlaced)
def _order(books: Books, turn: AppliedTurn, effect: OrderPlaced) -> None:
    books.orders.add(effect.order, turn.session_id, turn.customer_id, at=turn.now)


@applies(OrderCancelled)
def _cancel(books: Books, turn: AppliedTurn, effect: OrderCancelled) -> None:
    if turn.customer_id:
        books.orders.cancel(effect.order_id, turn.customer_id, turn.now)


@applies(ComplaintOpened)
def _complaint(books: Books, turn: AppliedTurn, effect: ComplaintOpened) -> None:
    cart = [line.__dict__ for line in turn.state.cart]
    books.tickets.open(
        effect.ticket,
        effect.category,
        turn.session_id,
        turn.customer_id,
        turn.state.history,
        cart,
        at=turn.now,
    )


@applies(HandoffRequested)
def _handoff(books: Books, turn: AppliedTurn, effect: HandoffRequested) -> None:
    books.handoffs.open(turn.session_id, turn.state, effect.reason, turn.now)


@applies(CallbackBooked)
def _callback(books: Books, turn: AppliedTurn, effect: CallbackBooked) -> None:
    summary = summarize(turn.state, "asked")
    books.callbacks.book(
        effect.at, effect.phone, turn.session_id, turn.state.lang, turn.customer_id, summary
    )


@applies(CartChanged)
def _cart(books: Books, turn: AppliedTurn, effect: CartChanged) -> None:
    """A known customer's cart outlives the session, with their consent."""
    customer = turn.customer_id
    if customer and books.customers.allows(customer, "personalisation"):
        books.followups.save_cart(customer, turn.session_id, turn.state.cart)


@applies(SavedCartDeclined)
def _declined(books: Books, turn: AppliedTurn, effect: SavedCartDeclined) -> None:
    if turn.customer_id:
        books.followups.forget_cart(turn.customer_id)


@applies(FollowUpNoted)
def _followup(books: Books, turn: AppliedTurn, effect: FollowUpNoted) -> None:
    """Marketing follow-ups only with consent; what the customer asked for always."""
    customer = turn.customer_id
    if not customer:
        return
    if not effect.transactional and not books.customers.allows(customer, "marketing"):
        return
    source = f"{effect.source}:{turn.session_id}"
    books.followups.note(
        customer, effect.reason, effect.channel, turn.state.cart, turn.session_id, source
    )


@applies(LeadFieldConfirmed)
def _lead_field(books: Books, turn: AppliedTurn, effect: LeadFieldConfirmed) -> None:
    """An e-mail already known leads to its customer: this one merges into it (the
    session follows); otherwise the address leads here from now on."""
    customer = turn.customer_id
    if not customer:
        return
    books.customers.update(customer, **{effect.field: effect.value})
    if effect.field != "email":
        return
    known = books.customers.known_by("email", str(effect.value))
    if known and known != customer:
        books.customers.merge(customer, known)
        turn.customer_id = known
    else:
        books.customers.link("email", str(effect.value), customer)


@applies(ConsentChanged)
def _consent(books: Books, turn: AppliedTurn, effect: ConsentChanged) -> None:
    """Recorded with its wording, and in force at once."""
    customer = turn.customer_id
    if not customer:
        return
    books.customers.record_consent(
        customer, effect.purpose, effect.granted, effect.wording, turn.session_id
    )
    if not effect.granted and effect.purpose == "marketing":
        books.followups.drop_marketing(customer)
    if not effect.granted and effect.purpose == "personalisation":
        books.followups.forget_cart(customer)


@applies(EraseCustomer)
def _erase(books: Books, turn: AppliedTurn, effect: EraseCustomer) -> None:
    if turn.customer_id:
        books.customers.erase(turn.customer_id)
