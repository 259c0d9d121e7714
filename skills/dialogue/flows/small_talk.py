"""Greeting, help, repeating the last reply, a yes or no with nothing asked, and
goodbye."""

from __future__ import annotations

from skills.dialogue.context import TurnContext
from skills.dialogue.registry import intent
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.reply import Reply


@intent("greet")
def greet(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return ctx.say("greet")


@intent("help")
def help_(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return ctx.say("help")


@intent("repeat")
def repeat(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return Reply(state.last_reply or ctx.phrases.say("greet"))


@intent("yes")
def yes(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return ctx.say("yes_nothing_pending")


@intent("no")
def no(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    return ctx.say("no_nothing_pending")


@intent("cancel")
def cancel(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    reply = ctx.say("cancelled")
    reply.end_session = True
    return reply
