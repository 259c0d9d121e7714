"""What a turn changed, read by comparing the session before and after it: the
funnel events it makes (proposal, choice, cart, order, hand-off), the marketing
triggers it reaches, and the effects it has whichever flow caused them."""

from __future__ import annotations

from dataclasses import dataclass

from skills.dialogue.effects import CartChanged, Effect, HandoffRequested
from skills.dialogue.questions import QuestionKind
from skills.dialogue.state import DialogueState
from skills.reply import Reply


@dataclass(frozen=True)
class Before:
    """The parts of a session a turn's events are read from, before the turn."""

    first: bool
    proposed: tuple[str, ...]
    focus: str | None
    cart: dict[tuple[str, str | None], int]
    orders: int
    handoff: str | None
    checkout_asked: bool

    @classmethod
    def of(cls, state: DialogueState) -> Before:
        return cls(
            first=not state.history,
            proposed=tuple(state.proposed),
            focus=state.focus,
            cart=_cart(state),
            orders=len(state.orders),
            handoff=state.handoff,
            checkout_asked=_asks_checkout(state),
        )


def triggers(before: Before, state: DialogueState) -> list[str]:
    """The rule triggers this turn reached, in the order rules see them."""
    found = ["session_start"] if before.first else []
    if state.proposed and tuple(state.proposed) != before.proposed:
        found.append("products_proposed")
    if _cart(state) != before.cart and state.cart:
        found.append("cart_changed")
    if _asks_checkout(state) and not before.checkout_asked:
        found.append("checkout")
    return found


def funnel_events(before: Before, state: DialogueState, reply: Reply) -> list[dict]:
    """The turn's events for the funnel, besides the rules that fired."""
    events = [{"kind": "intent", "intent": reply.intent, "understood": not reply.failed}]
    if reply.failed and state.history:  # what was said, for the report's "not understood"
        events[0]["text"] = state.history[-1]["user"]
    if reply.products and tuple(state.proposed) != before.proposed:
        events.append({"kind": "products_proposed", "products": list(state.proposed)})
    if reply.intent == "choose" and state.focus and state.focus != before.focus:
        events.append({"kind": "product_chosen", "product": state.focus})
    cart = _cart(state)
    for key, quantity in cart.items():
        if quantity > before.cart.get(key, 0):
            added = quantity - before.cart.get(key, 0)
            events.append({"kind": "added_to_cart", "product": key[0], "quantity": added})
    for order in state.orders[before.orders :]:
        events.append({"kind": "checkout_confirmed", "order": order["id"], "total": order["total"]})
    if state.handoff and not before.handoff:
        events.append({"kind": "handoff", "reason": state.handoff})
    return events


def changes(before: Before, state: DialogueState) -> list[Effect]:
    """The effects read from the state, whichever flow caused them: an adviser asked
    for (by the shopper, a complaint or repeated failures), a cart that changed."""
    found: list[Effect] = []
    if state.handoff and not before.handoff:
        found.append(HandoffRequested(state.handoff))
    if _cart(state) != before.cart:
        found.append(CartChanged())
    return found


def _cart(state: DialogueState) -> dict[tuple[str, str | None], int]:
    return {(line.product_id, line.sku): line.quantity for line in state.cart}


def _asks_checkout(state: DialogueState) -> bool:
    return bool(state.pending and state.pending.kind is QuestionKind.CHECKOUT)
