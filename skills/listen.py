"""A live spoken conversation: frames from an audio source, utterances cut by an
endpointer (voice activity, or push-to-talk), each turn through the recogniser,
the skill and the synthesiser, replies played to a sink and stopped the moment
the shopper speaks over them.

Recognition streams: each frame goes to the recogniser as it arrives, so at the
end of speech only the decoding of what remains is left. Timings are taken from
the moment the endpointer declares the end of speech.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from skills.voice_turn import VoiceAssistant
from voice.audio_io import AudioSink, AudioSource
from voice.endpoint import Endpointer, Event


@dataclass
class HeardTurn:
    heard: str
    reply: str
    intent: str
    session_id: str
    end_session: bool
    timings: dict[str, float] = field(default_factory=dict)  # seconds after end of speech
    interrupted: bool = False  # the reply was cut short by the shopper speaking


class PushToTalk:
    """An endpointer driven by a key instead of voice activity: `toggle()` starts
    and ends an utterance (the CLI calls it on Enter)."""

    def __init__(self) -> None:
        self._talking = threading.Event()
        self._utterance = bytearray()
        self._was_talking = False

    @property
    def in_speech(self) -> bool:
        return self._was_talking

    def toggle(self) -> None:
        if self._talking.is_set():
            self._talking.clear()
        else:
            self._talking.set()

    def feed(self, frame: bytes) -> Event | None:
        talking = self._talking.is_set()
        if talking and not self._was_talking:
            self._was_talking, self._utterance = True, bytearray(frame)
            return Event("start", frame)
        if talking:
            self._utterance.extend(frame)
            return None
        if self._was_talking:
            self._was_talking = False
            return Event("end", bytes(self._utterance))
        return None


class Conversation:
    def __init__(
        self,
        voice: VoiceAssistant,
        lang: str,
        source: AudioSource,
        sink: AudioSink,
        endpointer: Endpointer | PushToTalk,
        on_turn: Callable[[HeardTurn], None] | None = None,
    ) -> None:
        self.voice = voice
        self.lang = lang
        self.source = source
        self.sink = sink
        self.endpointer = endpointer
        self.on_turn = on_turn
        self.turns: list[HeardTurn] = []

    def run(self) -> list[HeardTurn]:
        """Until the source ends or the skill ends the session."""
        session_id = None
        recognizer = None
        for frame in self.source.frames():
            event = self.endpointer.feed(frame)
            if event is None:
                if recognizer is not None and self.endpointer.in_speech:
                    recognizer.accept(frame)
                continue
            if event.kind == "start":
                if self.sink.playing:  # barge-in: the shopper talks over the reply
                    self.sink.stop()
                    if self.turns:
                        self.turns[-1].interrupted = True
                recognizer = self.voice.recognizer(session_id, self.lang)
                recognizer.accept(event.pcm)
                continue
            if recognizer is None:
                continue
            turn = self._answer(recognizer, session_id)
            recognizer, session_id = None, turn.session_id
            if turn.end_session:
                break
        self.source.close()
        return self.turns

    def _answer(self, recognizer, session_id: str | None) -> HeardTurn:
        end_of_speech = time.perf_counter()
        transcript = recognizer.finish()
        heard_at = time.perf_counter()
        spoken = self.voice.answer(transcript, session_id, self.lang)
        replied_at = heard_at + spoken.timings["skill_s"]
        self.sink.play(spoken.reply_wav)
        playing_at = time.perf_counter()
        reply = spoken.result.reply
        turn = HeardTurn(
            heard=transcript.text,
            reply=reply.text,
            intent=reply.intent,
            session_id=spoken.result.session_id,
            end_session=reply.end_session,
            timings={
                "transcript_s": round(heard_at - end_of_speech, 4),
                "reply_text_s": round(replied_at - end_of_speech, 4),
                "first_audio_s": round(playing_at - end_of_speech, 4),
            },
        )
        self.turns.append(turn)
        if self.on_turn:
            self.on_turn(turn)
        return turn
