"""The values rule conditions test, from a session: what the caller said about
the arrival (kept in `state.context` when the session started) and the session
as it is now (cart, language, local time)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from skills.campaigns.rules import RuleBook
from skills.dialogue.state import DialogueState

SHOP_TIMEZONE = "Europe/Paris"


def session_facts(
    state: DialogueState, rules: RuleBook, policy: dict, now: datetime
) -> dict[str, object]:
    """Every fact of `rules.FACTS`; None where it is not known (no rule fires on it)."""
    context = state.context
    country = context.get("country")
    delivery = policy["delivery"]
    campaign = rules.campaigns.get(context.get("campaign") or "")
    past_orders = context.get("past_orders")
    to_reward = None
    if rules.loyalty and past_orders is not None:
        to_reward = rules.loyalty.every - past_orders % rules.loyalty.every
    zone = ZoneInfo(context.get("timezone") or policy.get("timezone") or SHOP_TIMEZONE)
    cart_value = state.cart_total()
    # an amount in another currency than the policy's is not compared with its threshold
    same_money = all(line.currency == policy["currency"] for line in state.cart)
    return {
        "campaign": context.get("campaign"),
        "referrer": context.get("referrer"),
        "coupon": bool(campaign and campaign.codes),
        "country": country,
        "abroad": None if country is None else country != policy["home_country"],
        "delivers": None if country is None else country in delivery["countries"],
        "lang": state.lang,
        "weather": context.get("weather"),
        "segments": context.get("segments"),
        "cart_value": cart_value,
        "free_delivery": same_money and cart_value >= delivery["free_above"],
        "past_orders": past_orders,
        "orders_to_reward": to_reward,
        "hour": now.astimezone(zone).hour,
    }


def holds(test: object, value: object) -> bool:
    """Whether a fact's value passes a condition's test: a value (equal, or contained
    in a list fact), a list (any of), or {min, max, not}. Unknown facts never pass."""
    if value is None:
        return False
    if isinstance(test, dict):
        if "min" in test and not value >= test["min"]:
            return False
        if "max" in test and not value <= test["max"]:
            return False
        return not ("not" in test and holds(test["not"], value))
    wanted = test if isinstance(test, list) else [test]
    have = value if isinstance(value, list) else [value]
    return any(_same(w, h) for w in wanted for h in have)


def _same(wanted: object, have: object) -> bool:
    if isinstance(wanted, str) and isinstance(have, str):
        return wanted.casefold() == have.casefold()
    return wanted == have
