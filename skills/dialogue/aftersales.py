"""After the purchase: an order's status, cancelling it, invoices for a period,
and complaints, said in the shopper's language with dates in their time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from skills.dialogue.phrases import Phrases
from skills.orders import Order
from skills.periods import Period


def spoken_order(order_id: str) -> str:
    """ "B7C97E87" → "B7C9 7E87": said in two groups, as people read it back."""
    return " ".join(order_id[i : i + 4] for i in range(0, len(order_id), 4))


def day_text(moment: float, zone: str, phrases: Phrases) -> str:
    """ "12 January" / "12 janvier" in the customer's zone."""
    day = datetime.fromtimestamp(moment, ZoneInfo(zone)).date()
    return format_date(day, "d MMMM", locale=phrases.lang)


def period_text(period: Period, phrases: Phrases) -> str:
    """The interval as said back: "12 January", "the week of 2 March", "December
    2025", "2025"."""
    lang, start = phrases.lang, period.start.date()
    if period.unit == "day":
        return format_date(start, "d MMMM", locale=lang)
    if period.unit == "week":
        return phrases.fragment("period_week").format(
            date=format_date(start, "d MMMM", locale=lang)
        )
    if period.unit == "month":
        return format_date(start, "MMMM y", locale=lang)
    return str(start.year)


def status(order: Order, now: float, zone: str, policy: dict, phrases: Phrases) -> str:
    days = policy["delivery"]["countries"][policy["home_country"]]["days"][1]
    stage, moment = order.stage(now, days)
    values = {
        "order": spoken_order(order.id),
        "date": day_text(order.placed_at, zone, phrases),
        "total": phrases.price(order.total, order.currency),
    }
    if stage == "cancelled":
        return phrases.say("order_status_cancelled", **values)
    if stage == "delivered":
        return phrases.say("order_status_delivered", when=day_text(moment, zone, phrases), **values)
    key = "order_status_preparing" if stage == "preparing" else "order_status_shipped"
    return phrases.say(key, eta=day_text(moment, zone, phrases), **values)


def invoices(orders: list[Order], zone: str, phrases: Phrases, period: str) -> str:
    """One invoice read out briefly, or a list of several; then the e-mail offer."""
    if len(orders) == 1:
        order = orders[0]
        items = phrases.join(
            [phrases.counted(line["title"], line.get("quantity", 1)) for line in order.lines]
        )
        return phrases.say(
            "invoice_one",
            number=spoken_order(order.id),
            date=day_text(order.placed_at, zone, phrases),
            total=phrases.price(order.total, order.currency),
            items=items,
        )
    listed = [
        phrases.part(
            "invoice_item",
            date=day_text(o.placed_at, zone, phrases),
            total=phrases.price(o.total, o.currency),
        )
        for o in orders
    ]
    return phrases.say("invoice_many", count=len(orders), period=period, items=phrases.join(listed))


def has_left(order: Order, now: float) -> bool:
    """Whether the order has left the warehouse (too late to cancel)."""
    return order.stage(now, 0)[0] != "preparing"


def complaint_category(text: str, lexicon: dict) -> str:
    """The kind of complaint from its words (damaged, wrong item, late, missing)."""
    words = f" {text} "
    for category, cues in lexicon["complaints"].items():
        if any(f" {cue} " in words for cue in cues):
            return category
    return "other"
