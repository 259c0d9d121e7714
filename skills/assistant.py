"""The shopping assistant behind every channel (CLI, web app, replay): a turn of
text in, a reply out, with the session kept in the store.

It checks what callers send (text, language, session) before anything changes,
so bad input gets one clear sentence and leaves every session as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from catalog.db import open_db
from catalog.demo import ensure_demo_catalog
from skills.biasing import ShopWordsCache, expected_phrases
from skills.dialogue.manager import ShoppingSkill
from skills.dialogue.state import DialogueState
from skills.nlu.language import LANGUAGES
from skills.reply import Reply
from skills.store import SessionStore, UnknownSessionError

MAX_TEXT = 500  # characters in one spoken turn; more is not speech


class TurnInputError(ValueError):
    """What the caller sent cannot be a turn; the message says why."""


@dataclass
class TurnResult:
    session_id: str
    transcript: str
    reply: Reply

    def to_dict(self) -> dict:
        reply = self.reply
        return {
            "session_id": self.session_id,
            "transcript": self.transcript,
            "intent": reply.intent,
            "slots": reply.slots,
            "confidence": reply.confidence,
            "reply": reply.text,
            "ssml": reply.ssml,
            "products": reply.products,
            "end_session": reply.end_session,
        }


class Assistant:
    """One catalogue database (the demo catalogue when empty) and its sessions."""

    def __init__(self, db_path: str, idle_s: float | None = None) -> None:
        self.db = open_db(db_path)
        ensure_demo_catalog(self.db)
        self.sessions = SessionStore(db_path) if idle_s is None else SessionStore(db_path, idle_s)
        self._skills: dict[str, ShoppingSkill] = {}
        self._shop_words = ShopWordsCache(self.db)
        self._skills_lock = threading.Lock()

    def skill(self, lang: str) -> ShoppingSkill:
        with self._skills_lock:  # the web app's first requests may come together
            if lang not in self._skills:
                self._skills[lang] = ShoppingSkill(self.db, lang)
            return self._skills[lang]

    def ask(
        self,
        text: str,
        session_id: str | None = None,
        lang: str = "en",
        alternatives: Sequence[tuple[str, float]] = (),
        heard: bool = False,
    ) -> TurnResult:
        """One turn; a new session when `session_id` is None. `heard=True` marks text
        from a recogniser, where an empty text is a silence (a turn of its own) rather
        than a mistake. Raises TurnInputError for unusable input and
        UnknownSessionError for an unknown or expired session."""
        text = _checked_text(text, alternatives, allow_empty=heard)
        if session_id is None:
            if lang not in LANGUAGES:
                raise TurnInputError(
                    f"Language '{lang}' is not supported: choose one of {', '.join(LANGUAGES)}."
                )
            self.skill(lang)  # load before the session exists: a failure leaves nothing
            session_id = self.sessions.create(lang)

        def run(state):
            return self.skill(state.lang).turn(state, text, alternatives)

        reply = self.sessions.turn(session_id, run)
        transcript = alternatives[0][0] if alternatives else text
        return TurnResult(session_id, transcript, reply)

    def expected_phrases(self, session_id: str | None, lang: str = "en") -> list[str]:
        """What the shopper is likely to say next in this session, for the recogniser."""
        state = self.sessions.load(session_id) if session_id else DialogueState(lang=lang)
        return expected_phrases(state, self._shop_words.get(state.lang), self.db)


def _checked_text(
    text: object, alternatives: Sequence[tuple[str, float]], allow_empty: bool
) -> str:
    if alternatives:
        text = alternatives[0][0]
    if not isinstance(text, str):
        raise TurnInputError("The turn's text must be a string.")
    text = text.strip()
    if not text and not allow_empty:
        raise TurnInputError("The turn's text is empty: say or type something.")
    if len(text) > MAX_TEXT:
        raise TurnInputError(f"The turn's text is longer than {MAX_TEXT} characters.")
    return text


__all__ = ["Assistant", "TurnInputError", "TurnResult", "UnknownSessionError"]
