"""A human adviser: the hand-off when one is available, else a callback booked at
a time the shopper says, on a number read back for confirmation."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from text_to_num import alpha2digit

from skills.callbacks import callback_time
from skills.contact import phone_from, phone_read_back
from skills.dialogue import aftersales
from skills.dialogue.context import TurnContext
from skills.dialogue.effects import CallbackBooked
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.registry import answers, intent
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.nlu.normalize import normalize_text
from skills.reply import Reply


@intent("human")
def human(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    if not ctx.hours.is_open(ctx.now()):
        state.pending = Pending(QuestionKind.CALLBACK_WHEN)
        return ctx.say("no_adviser_now", hours=_hours_said(ctx))
    state.handoff = "asked"
    return ctx.say("handoff")


@answers(QuestionKind.CALLBACK_WHEN)
def callback_when(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent in ("no", "cancel"):
        return ctx.say("callback_none")
    said = alpha2digit(normalize_text(parse.text, ctx.lang), ctx.lang, threshold=0)
    zone = ctx.zone(state)
    moment = callback_time(said, ctx.phrases.lexicon, ctx.lang, ctx.now(), zone)
    state.pending = Pending(QuestionKind.CALLBACK_WHEN)
    if moment is None:
        return ctx.failed("callback_when_again")
    if not ctx.hours.is_open(moment):
        return ctx.say("callback_closed_then", hours=_hours_said(ctx))
    customer = ctx.known_customer(state)
    record = ctx.customers.get(customer) if customer else None
    if record and record.get("phone"):
        return _book(ctx, state, moment.timestamp(), record["phone"])
    state.pending = Pending(QuestionKind.CALLBACK_PHONE, data={"at": moment.timestamp()})
    return ctx.say("callback_which_number")


@answers(QuestionKind.CALLBACK_PHONE)
def callback_phone(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent in ("no", "cancel"):
        return ctx.say("callback_none")
    said = alpha2digit(normalize_text(parse.text, ctx.lang), ctx.lang, threshold=0)
    region = state.context.get("country") or ctx.policy["home_country"]
    phone = phone_from(said, region)
    if phone is None:
        state.pending = pending
        return ctx.failed("callback_number_again")
    state.pending = Pending(
        QuestionKind.CALLBACK_CONFIRM, data={"at": pending.data["at"], "phone": phone}
    )
    return ctx.say("callback_read_back", number=phone_read_back(phone, region))


@answers(QuestionKind.CALLBACK_CONFIRM)
def callback_confirm(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent == "yes":
        return _book(ctx, state, pending.data["at"], pending.data["phone"])
    state.pending = Pending(QuestionKind.CALLBACK_PHONE, data={"at": pending.data["at"]})
    return ctx.say("callback_which_number")


def _book(ctx: TurnContext, state: DialogueState, at: float, phone: str) -> Reply:
    zone = ctx.zone(state)
    moment = datetime.fromtimestamp(at, ZoneInfo(zone))
    reply = ctx.say(
        "callback_booked",
        day=aftersales.day_text(at, zone, ctx.phrases),
        time=f"{moment.hour}:{moment.minute:02d}",
    )
    reply.effects.append(CallbackBooked(at, phone))
    return reply


def _hours_said(ctx: TurnContext) -> str:
    return ctx.hours.describe(ctx.lang, ctx.phrases.fragment("to_word"))
