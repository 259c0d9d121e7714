"""The shop's privacy settings (`skills/data/privacy.yaml`): the consent purposes
with their defaults and wording, and how long transcripts are kept."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from skills.campaigns.rules import Texts

PRIVACY_FILE = Path(__file__).resolve().parent / "data" / "privacy.yaml"


class PrivacyError(ValueError):
    """The privacy file cannot be used; the message names the file and the place."""


class Purpose(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default: bool
    wording: Texts


class Privacy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    retention_days: int = Field(gt=0)
    purposes: dict[str, Purpose]


def load_privacy(path: str | None = None) -> Privacy:
    """The settings in `path`, else $VOICESHOP_PRIVACY, else the shop's bundled file."""
    return _load(str(path or os.environ.get("VOICESHOP_PRIVACY") or PRIVACY_FILE))


@cache
def _load(path: str) -> Privacy:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return Privacy.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise PrivacyError(f"{path}: cannot read the privacy settings ({exc}).") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise PrivacyError(f"{path}: {place}: {first['msg']}") from None
