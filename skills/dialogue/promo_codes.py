"""A promo code of the shopper's campaign, said at any point of the conversation."""

from __future__ import annotations

from text_to_num import alpha2digit

from skills.campaigns.engine import accept_code
from skills.dialogue.context import TurnContext
from skills.dialogue.state import DialogueState
from skills.nlu.normalize import normalize_text
from skills.reply import Reply


def code_said(ctx: TurnContext, state: DialogueState, text: str) -> Reply | None:
    """The discount of a code of the shopper's campaign said in `text` ("winter
    ten", "W I N T E R 1 0"), as the reply; None when no code was said."""
    spoken = alpha2digit(normalize_text(text, ctx.lang), ctx.lang, threshold=0)
    joined = "".join(spoken.split()).upper()
    campaign = ctx.rules.campaigns.get(state.promo["campaign"])
    for code in campaign.codes if campaign else ():
        if code in joined:
            percent = accept_code(ctx.rules, state, code)
            if percent:
                return ctx.say("promo_accepted", percent=ctx.phrases.number(percent))
    return None
