"""A promo code asked for by a campaign rule: "no" drops the question; the code
itself is read before any question (skills/dialogue/promo_codes.py)."""

from __future__ import annotations

from skills.dialogue.context import TurnContext
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.registry import answers
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import OUT_OF_SCOPE, Parse
from skills.reply import Reply


@answers(QuestionKind.PROMO_CODE)
def promo_code_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    if parse.intent in ("no", "cancel"):
        state.promo = None
        return ctx.say("promo_none")
    state.pending = pending
    if parse.intent == "yes":
        return ctx.say("promo_go_ahead")
    if parse.intent == OUT_OF_SCOPE:
        return ctx.failed("promo_unknown")
    state.pending = None
    return None
