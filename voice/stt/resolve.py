"""Find the speech model to use, in the documented order.

Vosk: an explicit path, then VOICESHOP_VOSK_MODEL_<LANG> / VOICESHOP_VOSK_MODEL,
then Vosk's own model folders (~/.cache/vosk …), then Vosk's own download with
its progress bar. Whisper: an explicit path, then VOICESHOP_WHISPER_MODEL.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from voice.stt.base import ModelNotFoundError

# Vosk names its models by these language codes; the small ones fit a laptop.
VOSK_CODES = {"en": "en-us", "fr": "fr", "ko": "ko"}
VOSK_SMALL_MODELS = {
    "en": "vosk-model-small-en-us-0.15",
    "fr": "vosk-model-small-fr-0.22",
    "ko": "vosk-model-small-ko-0.22",
}
VOSK_MODELS_PAGE = "https://alphacephei.com/vosk/models"


@dataclass(frozen=True)
class ModelChoice:
    engine: str
    path: str
    source: str  # how it was found: argument, environment, cache, download


def vosk_cache_dirs() -> list[Path]:
    """The folders Vosk itself looks in (and downloads to: the last one)."""
    from vosk import MODEL_DIRS

    return [Path(d) for d in MODEL_DIRS if d is not None]


def find_vosk_model(lang: str, explicit: str | None = None) -> ModelChoice | None:
    """A Vosk model already on this machine for `lang`, or None."""
    if explicit:
        return ModelChoice("vosk", _existing_dir(explicit), "argument")
    for var in (f"VOICESHOP_VOSK_MODEL_{lang.upper()}", "VOICESHOP_VOSK_MODEL"):
        if os.environ.get(var):
            return ModelChoice("vosk", _existing_dir(os.environ[var], var), "environment")
    code = VOSK_CODES.get(lang, lang)
    pattern = re.compile(rf"vosk-model(-small)?-{re.escape(code)}(-|$)")
    for folder in vosk_cache_dirs():
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.is_dir() and pattern.match(entry.name):
                return ModelChoice("vosk", str(entry), "cache")
    return None


def download_vosk_model(lang: str) -> ModelChoice:
    """Fetch the small Vosk model for `lang` with Vosk's downloader, or say how to get it."""
    if os.environ.get("VOICESHOP_OFFLINE"):
        raise ModelNotFoundError(missing_vosk_message(lang, "VOICESHOP_OFFLINE is set"))
    import vosk

    class _Downloader(vosk.Model):
        """Vosk's lookup-and-download logic without loading the model twice."""

        def __init__(self) -> None:
            pass

        def __del__(self) -> None:
            pass

    try:
        path = _Downloader().get_model_by_lang(VOSK_CODES.get(lang, lang))
    except SystemExit as exc:  # vosk exits when the language is unknown
        raise ModelNotFoundError(missing_vosk_message(lang, "Vosk has no model for it")) from exc
    except Exception as exc:  # requests/urllib errors: offline, DNS, refused, timeout
        raise ModelNotFoundError(
            missing_vosk_message(lang, f"the download failed ({type(exc).__name__})")
        ) from exc
    return ModelChoice("vosk", str(path), "download")


def missing_vosk_message(lang: str, why: str) -> str:
    name = VOSK_SMALL_MODELS.get(lang, f"vosk-model-small-{VOSK_CODES.get(lang, lang)}")
    cache = vosk_cache_dirs()[-1]
    return (
        f"No Vosk model for '{lang}' is on this machine and none could be downloaded ({why}). "
        f"Download {VOSK_MODELS_PAGE}/{name}.zip on a connected machine, unzip it into {cache}/ "
        f"(or anywhere, then pass --model DIR or set VOICESHOP_VOSK_MODEL=DIR), "
        f"or use Whisper instead: --engine whisper --model DIR (a CTranslate2 Whisper folder)."
    )


def find_whisper_model(explicit: str | None = None) -> ModelChoice | None:
    if explicit:
        return ModelChoice("whisper", _existing_dir(explicit), "argument")
    if os.environ.get("VOICESHOP_WHISPER_MODEL"):
        path = _existing_dir(os.environ["VOICESHOP_WHISPER_MODEL"], "VOICESHOP_WHISPER_MODEL")
        return ModelChoice("whisper", path, "environment")
    return None


def choose_model(engine: str | None, lang: str, model: str | None = None) -> ModelChoice:
    """Pick engine and model: named engine first, else Vosk if a model fits, else Whisper."""
    engine = engine or os.environ.get("VOICESHOP_STT_ENGINE") or None
    if engine is None and model:
        engine = "whisper" if os.path.isfile(os.path.join(model, "model.bin")) else "vosk"
    if engine == "whisper":
        found = find_whisper_model(model)
        if found is None:
            raise ModelNotFoundError(
                "No Whisper model is configured: pass --model DIR or set VOICESHOP_WHISPER_MODEL "
                "to a CTranslate2 Whisper folder (one with model.bin, config.json, tokenizer.json)."
            )
        return found
    if engine not in (None, "vosk"):
        raise ValueError(f"Unknown speech engine '{engine}': choose vosk or whisper.")
    found = find_vosk_model(lang, model)
    if found:
        return found
    if engine is None:
        whisper = find_whisper_model()
        if whisper:
            return whisper
    return download_vosk_model(lang)


def _existing_dir(path: str, where: str = "--model") -> str:
    if not os.path.isdir(path):
        raise ModelNotFoundError(f"The model folder {path} given by {where} does not exist.")
    return os.path.abspath(path)
