"""After the purchase: where an order is, cancelling it, invoices by relative date
("last month's invoice"), and complaints with a ticket."""

from __future__ import annotations

import uuid

from skills.dialogue import aftersales
from skills.dialogue.context import TurnContext
from skills.dialogue.effects import ComplaintOpened, FollowUpNoted, OrderCancelled
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.registry import answers, intent
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.orders import Order
from skills.periods import resolve_period
from skills.reply import Reply


@intent("order_status")
def order_status(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    refused = _unknown_customer(ctx, state)
    if refused:
        return refused
    orders, period = _customer_orders(ctx, state, parse)
    if not orders:
        return _no_orders(ctx, period)
    now = ctx.now().timestamp()
    return Reply(aftersales.status(orders[0], now, ctx.zone(state), ctx.policy, ctx.phrases))


@intent("cancel_order")
def cancel_order(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    refused = _unknown_customer(ctx, state)
    if refused:
        return refused
    orders, period = _customer_orders(ctx, state, parse)
    orders = [o for o in orders if o.status != "cancelled"]
    if not orders:
        return _no_orders(ctx, period)
    order, now = orders[0], ctx.now().timestamp()
    said = aftersales.spoken_order(order.id)
    if aftersales.has_left(order, now):
        returns = ctx.policy["returns"]
        return ctx.say(
            "cancel_order_too_late",
            order=said,
            days=returns["days"],
            cost=returns["cost"][ctx.lang],
        )
    total = ctx.phrases.price(order.total, order.currency)
    state.pending = Pending(QuestionKind.CANCEL_ORDER, data={"order": order.id, "total": total})
    date = aftersales.day_text(order.placed_at, ctx.zone(state), ctx.phrases)
    return ctx.say("cancel_order_confirm", order=said, date=date, total=total)


@answers(QuestionKind.CANCEL_ORDER)
def cancel_order_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent == "yes":
        reply = ctx.say(
            "cancel_order_done",
            order=aftersales.spoken_order(pending.data["order"]),
            total=pending.data["total"],
            days=ctx.policy["returns"]["refund_days"],
        )
        reply.effects.append(OrderCancelled(pending.data["order"]))
        return reply
    if parse.intent in ("no", "cancel"):
        return ctx.say("cancel_order_kept")
    return None


@intent("invoice")
def invoice(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    refused = _unknown_customer(ctx, state)
    if refused:
        return refused
    orders, period = _customer_orders(ctx, state, parse)
    orders = [o for o in orders if o.status != "cancelled" and o.invoice]
    if not orders:
        return _no_orders(ctx, period, "no_invoice_period")
    if not parse.slots.get("period"):
        orders = orders[:1]  # "my invoice": the last one
    state.pending = Pending(
        QuestionKind.EMAIL_INVOICE, data={"invoices": [o.invoice for o in orders]}
    )
    return Reply(aftersales.invoices(orders, ctx.zone(state), ctx.phrases, period))


@answers(QuestionKind.EMAIL_INVOICE)
def email_invoice_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent == "yes":
        numbers = " ".join(pending.data["invoices"])
        reply = ctx.say("invoice_emailed")
        # asked for by the customer: sent without marketing consent
        sent = FollowUpNoted(f"send_invoice {numbers}", "email", f"rule:{numbers}", True)
        reply.effects.append(sent)
        return reply
    if parse.intent in ("no", "cancel"):
        return ctx.say("no_nothing_pending")
    return None


@intent("complaint")
def complaint(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    category = aftersales.complaint_category(parse.text, ctx.phrases.lexicon)
    ticket = "T" + uuid.uuid4().hex[:7].upper()
    state.pending = Pending(QuestionKind.COMPLAINT_HANDOFF, data={"ticket": ticket})
    reply = ctx.say(
        "complaint_recorded",
        category=ctx.phrases.fragment(f"complaint_{category}"),
        ticket=aftersales.spoken_order(ticket),
    )
    reply.effects.append(ComplaintOpened(ticket, category))
    return reply


@answers(QuestionKind.COMPLAINT_HANDOFF)
def complaint_handoff_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent == "yes":
        state.handoff = "complaint"
        return ctx.say("handoff")
    if parse.intent in ("no", "cancel"):
        ticket = aftersales.spoken_order(pending.data["ticket"])
        return ctx.say("complaint_no_handoff", ticket=ticket)
    return None


def _customer_orders(
    ctx: TurnContext, state: DialogueState, parse: Parse
) -> tuple[list[Order], str]:
    """The customer's orders in the period said (all when none), and the period as
    said back; empty when the customer is not known."""
    customer = state.context.get("customer_id")
    if not customer or ctx.orders is None:
        return [], ""
    said = parse.slots.get("period")
    if not said:
        return ctx.orders.for_customer(customer), ""
    period = resolve_period(said, ctx.lang, ctx.now(), ctx.zone(state))
    if period is None:
        return [], said
    found = ctx.orders.for_customer(customer, period.start.timestamp(), period.end.timestamp())
    return found, aftersales.period_text(period, ctx.phrases)


def _unknown_customer(ctx: TurnContext, state: DialogueState) -> Reply | None:
    if not state.context.get("customer_id") or ctx.orders is None:
        return ctx.failed("orders_need_customer")
    return None


def _no_orders(ctx: TurnContext, period: str, key: str = "no_orders_period") -> Reply:
    if period:
        return ctx.say(key, period=period)
    return ctx.say("no_orders")
