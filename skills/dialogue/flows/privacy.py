"""The shopper's data: what is kept, erasure after a confirmation, and withdrawing
a consent by its purpose."""

from __future__ import annotations

from skills.dialogue import privacy_talk
from skills.dialogue.context import TurnContext
from skills.dialogue.effects import ConsentChanged, EraseCustomer
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.registry import answers, intent
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.reply import Reply


@intent("my_data")
def my_data(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    customer = ctx.known_customer(state)
    if not customer:
        return ctx.say("my_data_unknown")
    orders = ctx.orders.for_customer(customer) if ctx.orders else []
    return Reply(
        privacy_talk.summary(
            ctx.customers.get(customer) or {},
            ctx.customers.consents(customer),
            orders,
            bool(state.context.get("saved_cart")),
            ctx.zone(state),
            ctx.phrases,
        )
    )


@intent("forget_me")
def forget_me(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    if not ctx.known_customer(state):
        return ctx.say("my_data_unknown")
    state.pending = Pending(QuestionKind.ERASE)
    return ctx.say("forget_confirm")


@answers(QuestionKind.ERASE)
def erase_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent == "yes":
        reply = ctx.say("forget_done")
        reply.end_session = True
        reply.effects.append(EraseCustomer())
        return reply
    if parse.intent in ("no", "cancel"):
        return ctx.say("forget_kept")
    return None


@intent("withdraw_consent")
def withdraw_consent(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    if not ctx.known_customer(state):
        return ctx.say("my_data_unknown")
    purpose = privacy_talk.purpose_said(parse.text, ctx.phrases.lexicon)
    if purpose is None:
        state.pending = Pending(QuestionKind.CONSENT_WHICH)
        return ctx.say("consent_which")
    return _withdraw(ctx, purpose, parse.text)


@answers(QuestionKind.CONSENT_WHICH)
def consent_which_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    purpose = privacy_talk.purpose_said(parse.text, ctx.phrases.lexicon)
    return _withdraw(ctx, purpose, parse.text) if purpose else None


def _withdraw(ctx: TurnContext, purpose: str, said: str) -> Reply:
    reply = ctx.say("consent_withdrawn", purpose=ctx.phrases.fragment(f"purpose_{purpose}"))
    reply.effects.append(ConsentChanged(purpose, False, said))
    return reply
