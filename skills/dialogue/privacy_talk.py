"""What the assistant says about a customer's data and choices: the short summary
asked for with "what do you know about me?", and which consent a withdrawal
("stop sending me offers") is about."""

from __future__ import annotations

from skills.dialogue.aftersales import day_text
from skills.dialogue.phrases import Phrases
from skills.orders import Order


def purpose_said(text: str, lexicon: dict) -> str | None:
    """The consent purpose the words name, if any."""
    words = f" {text.lower()} "
    for purpose, cues in lexicon["consent_purposes"].items():
        if any(f" {cue} " in words or cue in words.split() for cue in cues):
            return purpose
    return None


def summary(
    record: dict,
    consents: dict[str, bool],
    orders: list[Order],
    saved_cart: bool,
    zone: str,
    phrases: Phrases,
) -> str:
    say = phrases.fragment
    facts = []
    if record.get("name"):
        facts.append(say("my_data_name").format(name=record["name"]))
    if record.get("email"):
        facts.append(say("my_data_email").format(email=record["email"]))
    if record.get("phone"):
        facts.append(say("my_data_phone"))
    kept = [o for o in orders if o.status != "cancelled"]
    if kept:
        date = day_text(kept[0].placed_at, zone, phrases)
        facts.append(say("my_data_orders").format(count=len(kept), date=date))
    if saved_cart:
        facts.append(say("my_data_cart"))
    if record.get("interests"):
        interests = phrases.join(record["interests"])
        facts.append(say("my_data_interests").format(interests=interests))
    if not facts:
        facts.append(say("my_data_nothing"))
    choices = [
        say("consent_yes" if granted else "consent_no").format(purpose=say(f"purpose_{purpose}"))
        for purpose, granted in consents.items()
    ]
    return phrases.say("my_data", facts="; ".join(facts), consents=", ".join(choices))
