"""Who the assistant is for this shop: name, tone, formality, verbosity."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SHOP_FILE = Path(__file__).resolve().parent.parent / "data" / "shop.yaml"
TONES = ("enthusiastic", "calm", "reassuring")


@dataclass(frozen=True)
class Persona:
    name: str = "Lena"
    tone: str = "enthusiastic"
    verbosity: str = "normal"
    formality: dict = field(default_factory=dict)

    @property
    def short(self) -> bool:
        return self.verbosity == "short"


def load_persona(path: str | None = None) -> Persona:
    """The persona from the shop file; a wrong value is named, not silently ignored."""
    source = Path(path or os.environ.get("VOICESHOP_SHOP_CONFIG") or SHOP_FILE)
    raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    persona = Persona(
        name=str(raw.get("name", "Lena")),
        tone=raw.get("tone", "enthusiastic"),
        verbosity=raw.get("verbosity", "normal"),
        formality=dict(raw.get("formality") or {}),
    )
    if persona.tone not in TONES:
        raise ValueError(f"{source}: tone must be one of {', '.join(TONES)}, not {persona.tone!r}.")
    if persona.verbosity not in ("normal", "short"):
        raise ValueError(f"{source}: verbosity must be normal or short, not {persona.verbosity!r}.")
    if persona.formality.get("fr", "vous") not in ("tu", "vous"):
        raise ValueError(f"{source}: formality for fr must be tu or vous.")
    return persona
