"""Lead qualification, started by the shopper ("keep me posted about your offers");
the questions themselves are the LeadForm's (skills/dialogue/qualification.py)."""

from __future__ import annotations

from skills.dialogue.context import TurnContext
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.registry import answers, intent
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.reply import Reply


@intent("sign_up")
def sign_up(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return ctx.lead.start(state)


@answers(QuestionKind.LEAD)
def lead_answer(
    ctx: TurnContext, state: DialogueState, parse: Parse, pending: Pending
) -> Reply | None:
    return ctx.lead.answer(state, parse, pending)
