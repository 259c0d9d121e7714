"""One spoken turn, the same for every voice channel (demo, replay, HTTP audio, the
microphone): speech → text → the shopping skill → reply text → speech.

Timings are kept per stage so channels can log them and the latency bench can
report where a turn's time goes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from skills.assistant import Assistant, TurnResult
from skills.speech import SpeechService
from voice.stt import Recognizer, Transcript

N_BEST = 3  # the recogniser's hypotheses the skill chooses among


@dataclass
class SpokenTurn:
    transcript: Transcript
    result: TurnResult
    reply_wav: bytes
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


class VoiceAssistant:
    """The assistant with ears and a voice."""

    def __init__(self, assistant: Assistant, speech: SpeechService, bias: bool = True) -> None:
        self.assistant = assistant
        self.speech = speech
        self.bias = bias  # off only to measure what biasing gains

    def lang_of(self, session_id: str | None, lang: str, start_named: bool = False) -> str:
        """A continued session keeps its own language; with `start_named`, a session
        the caller names and that is not running yet takes `lang`."""
        session_id = self._running(session_id, start_named)
        return self.assistant.sessions.load(session_id).lang if session_id else lang

    def recognizer(
        self,
        session_id: str | None,
        lang: str,
        context: dict | None = None,
        start_named: bool = False,
    ) -> Recognizer:
        """A new stream for the next utterance, told what the shopper may say now
        (`context`: the arrival of a session not started yet)."""
        lang = self.lang_of(session_id, lang, start_named)
        session_id = self._running(session_id, start_named)
        phrases = self.assistant.expected_phrases(session_id, lang, context) if self.bias else None
        return self.speech.recogniser(lang).recognizer(phrases, alternatives=N_BEST)

    def hear(
        self,
        pcm: bytes,
        session_id: str | None,
        lang: str,
        context: dict | None = None,
        start_named: bool = False,
    ) -> Transcript:
        """A whole utterance as text."""
        stream = self.recognizer(session_id, lang, context, start_named)
        stream.accept(pcm)
        return stream.finish()

    def _running(self, session_id: str | None, start_named: bool) -> str | None:
        """The session to continue: none when a named one is still to start."""
        if session_id and start_named and not self.assistant.sessions.live(session_id):
            return None
        return session_id

    def answer(
        self,
        transcript: Transcript,
        session_id: str | None,
        lang: str,
        context: dict | None = None,
        turn_id: str | None = None,
        start_named: bool = False,
    ) -> SpokenTurn:
        """The skill's turn on what was heard, then its reply spoken; `context` is
        the arrival a new session starts with, `turn_id` makes a retry answer again
        rather than act twice, `start_named` starts a session the caller names."""
        lang = self.lang_of(session_id, lang, start_named)
        started = time.perf_counter()
        result = self.assistant.ask(
            transcript.text,
            session_id,
            lang,
            alternatives=_hypotheses(transcript),
            heard=True,
            context=context,
            turn_id=turn_id,
            start_named=start_named,
        )
        replied = time.perf_counter()
        wav = self.speech.synthesiser(lang).to_wav(result.reply.text)
        timings = {
            "stt_s": transcript.elapsed_s,
            "skill_s": replied - started,
            "tts_s": time.perf_counter() - replied,
        }
        return SpokenTurn(transcript, result, wav, timings)

    def turn(
        self,
        pcm: bytes,
        session_id: str | None,
        lang: str,
        context: dict | None = None,
        turn_id: str | None = None,
        start_named: bool = False,
    ) -> SpokenTurn:
        """A whole utterance in, the spoken reply out."""
        heard = self.hear(pcm, session_id, lang, context, start_named)
        return self.answer(heard, session_id, lang, context, turn_id, start_named)


def _hypotheses(transcript: Transcript) -> list[tuple[str, float]]:
    """What was heard first, then the recogniser's other hypotheses: the skill picks
    the one that parses best, weighted by how sure the recogniser was."""
    if not transcript.text.strip():
        return []  # a silence is a turn of its own
    ranked = [(transcript.text, transcript.confidence)]
    for alternative in transcript.alternatives[:N_BEST]:
        if alternative.text.strip() and alternative.text != transcript.text:
            ranked.append((alternative.text, alternative.confidence))
    return ranked
