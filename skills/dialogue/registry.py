"""Which flow handles an intent, and which reads the answer to a pending question.

Flows register their handlers with `@intent(...)` and `@answers(...)`; the manager
looks them up here instead of building method names from strings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from skills.dialogue.questions import Pending, QuestionKind
from skills.nlu.matcher import Parse
from skills.reply import Reply

if TYPE_CHECKING:
    from skills.dialogue.context import TurnContext
    from skills.dialogue.state import DialogueState

IntentHandler = Callable[["TurnContext", "DialogueState", Parse], Reply]
# None: the turn does not answer the question (the manager then handles it afresh)
AnswerHandler = Callable[["TurnContext", "DialogueState", Parse, Pending], "Reply | None"]

_INTENTS: dict[str, IntentHandler] = {}
_ANSWERS: dict[QuestionKind, AnswerHandler] = {}
# what an answer did, when the words alone would say otherwise ("M" after "which size?")
_ANSWER_INTENTS: dict[QuestionKind, str] = {}


def intent(*names: str) -> Callable[[IntentHandler], IntentHandler]:
    return _registering(_INTENTS, names, "intent")


def answers(
    *kinds: QuestionKind, did: str | None = None
) -> Callable[[AnswerHandler], AnswerHandler]:
    """`did`: the intent a turn answering that question reports, unless the handler
    says otherwise."""
    if did:
        _ANSWER_INTENTS.update(dict.fromkeys(kinds, did))
    return _registering(_ANSWERS, kinds, "question")


def _registering(table: dict, keys: tuple, what: str) -> Callable:
    def register(handler: Callable) -> Callable:
        for key in keys:
            if key in table:
                raise ValueError(f"{what} {getattr(key, 'value', key)!r} already has a handler")
            table[key] = handler
        return handler

    return register


def intent_handler(name: str) -> IntentHandler | None:
    return _INTENTS.get(name)


def answer_handler(kind: QuestionKind) -> AnswerHandler | None:
    return _ANSWERS.get(kind)


def answered_intent(kind: QuestionKind) -> str | None:
    return _ANSWER_INTENTS.get(kind)


def handled_intents() -> set[str]:
    return set(_INTENTS)
