"""voiceshop as a Wyoming service, the protocol of Home Assistant's voice pipeline: speech
to text (`transcribe`, audio chunks → `transcript`), the shop's answer (`transcript` →
`handled`, or `not-handled` for what is not shopping) and text to speech (`synthesize` →
audio chunks), in every language the language data holds.

Each client connection is one shopping session, unless the events' context names a
conversation (`conversation_id`), whose session it then continues. Recognition, the turn
and synthesis block, so they run in worker threads and the event loop keeps serving
other connections."""

from __future__ import annotations

import asyncio
import io
import uuid
import wave
from functools import partial

from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioChunkConverter, AudioStart, AudioStop, wav_to_chunks
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled, NotHandled
from wyoming.info import (
    AsrModel,
    AsrProgram,
    Attribution,
    Describe,
    HandleModel,
    HandleProgram,
    Info,
    TtsProgram,
    TtsVoice,
)
from wyoming.server import AsyncEventHandler, AsyncServer
from wyoming.tts import Synthesize

from skills.assistant import CALLER_ID, TurnInputError
from skills.nlu.language import LANGUAGES
from skills.nlu.matcher import OUT_OF_SCOPE
from skills.voice_turn import VoiceAssistant
from voice.audio import TARGET_RATE
from voice.stt import ModelNotFoundError

ATTRIBUTION = Attribution(name="voiceshop", url="https://github.com/voiceshop/voiceshop")
SAMPLES_PER_CHUNK = 1024
LISTENING = AudioChunkConverter(rate=TARGET_RATE, width=2, channels=1)  # what recognisers take


def describe(voice: VoiceAssistant) -> Info:
    """What this service offers: one ASR model, one handler and one voice per language."""
    langs = list(LANGUAGES)
    engines = {lang: voice.speech.describe(lang) for lang in langs}
    asr = [
        AsrModel(
            name=f"voiceshop-{lang}",
            description=f"{engines[lang].get('engine') or 'no'} speech model ({lang})",
            attribution=ATTRIBUTION,
            installed=bool(engines[lang].get("engine")),
            languages=[lang],
            version=None,
        )
        for lang in langs
    ]
    handle = [
        HandleModel(
            name="voiceshop",
            description="The shop's assistant: products, cart, orders",
            attribution=ATTRIBUTION,
            installed=True,
            languages=langs,
            version=None,
        )
    ]
    voices = [
        TtsVoice(
            name=f"voiceshop-{lang}",
            description=f"espeak-ng ({lang})",
            attribution=ATTRIBUTION,
            installed=True,
            languages=[lang],
            version=None,
        )
        for lang in langs
    ]
    program = {"attribution": ATTRIBUTION, "installed": True, "version": None}
    return Info(
        asr=[AsrProgram(name="voiceshop", description="Speech to text", models=asr, **program)],
        handle=[HandleProgram(name="voiceshop", description="Shopping", models=handle, **program)],
        tts=[TtsProgram(name="voiceshop", description="Replies", voices=voices, **program)],
    )


class ShopHandler(AsyncEventHandler):
    """One client connection: its language, the audio it is sending, its session."""

    def __init__(self, voice: VoiceAssistant, lang: str, *args) -> None:
        super().__init__(*args)
        self.voice = voice
        self.lang = lang
        self.session_id = f"wyoming:{uuid.uuid4().hex}"
        self.audio: bytearray | None = None

    async def handle_event(self, event: Event) -> bool:
        try:
            await self._dispatch(event)
        except (UnsupportedLanguage, ModelNotFoundError, TurnInputError) as exc:
            await self.write_event(Error(text=str(exc), code=type(exc).__name__).event())
        return True

    async def _dispatch(self, event: Event) -> None:
        if Describe.is_type(event.type):
            await self.write_event(describe(self.voice).event())
        elif Transcribe.is_type(event.type):
            request = Transcribe.from_event(event)
            self.lang = _language(request.language, self.lang)
            self._follow(request.context)
        elif AudioStart.is_type(event.type):
            self.audio = bytearray()
        elif AudioChunk.is_type(event.type) and self.audio is not None:
            self.audio += LISTENING.convert(AudioChunk.from_event(event)).audio
        elif AudioStop.is_type(event.type) and self.audio is not None:
            pcm, self.audio = bytes(self.audio), None
            await self.write_event(await self._transcribe(pcm))
        elif Transcript.is_type(event.type):
            await self.write_event(await self._handle(Transcript.from_event(event)))
        elif Synthesize.is_type(event.type):
            for chunk in await self._synthesize(Synthesize.from_event(event)):
                await self.write_event(chunk.event())

    async def _transcribe(self, pcm: bytes) -> Event:
        hear = partial(self.voice.hear, pcm, self.session_id, self.lang, start_named=True)
        heard = await asyncio.to_thread(hear)
        return Transcript(text=heard.text, language=self.lang).event()

    async def _handle(self, transcript: Transcript) -> Event:
        self.lang = _language(transcript.language, self.lang)
        self._follow(transcript.context)
        ask = partial(
            self.voice.assistant.ask,
            transcript.text,
            self.session_id,
            self.lang,
            heard=True,
            start_named=True,
        )
        turn = await asyncio.to_thread(ask)
        context = {"conversation_id": self.session_id}
        if turn.reply.intent == OUT_OF_SCOPE:
            return NotHandled(text=turn.reply.text, context=context).event()
        return Handled(text=turn.reply.text, context=context).event()

    async def _synthesize(self, request: Synthesize) -> list:
        lang = _language(request.voice.language if request.voice else None, self.lang)
        speak = self.voice.speech.synthesiser(lang).to_wav
        wav = await asyncio.to_thread(speak, request.text)
        with wave.open(io.BytesIO(wav), "rb") as reader:
            return list(wav_to_chunks(reader, SAMPLES_PER_CHUNK, start_event=True, stop_event=True))

    def _follow(self, context: dict | None) -> None:
        """A conversation the client names continues that conversation's session."""
        named = (context or {}).get("conversation_id")
        if isinstance(named, str) and CALLER_ID.fullmatch(named):
            self.session_id = named


class UnsupportedLanguage(ValueError):
    """A client asked for a language the language data does not hold."""


def _language(asked: str | None, current: str) -> str:
    """ "fr", "fr-FR" or "fr_FR" as one of our languages; none asked: the current one."""
    if not asked:
        return current
    lang = asked.replace("_", "-").split("-")[0].lower()
    if lang not in LANGUAGES:
        raise UnsupportedLanguage(
            f"Language '{asked}' is not supported: choose one of {', '.join(LANGUAGES)}."
        )
    return lang


async def run(voice: VoiceAssistant, uri: str, lang: str) -> None:
    """Serve Wyoming clients at `uri` (tcp://host:port, unix://path) until stopped."""
    server = AsyncServer.from_uri(uri)
    await server.run(partial(ShopHandler, voice, lang))
