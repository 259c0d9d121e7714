"""The shop's delivery, returns and payment policy, from `skills/data/policy.yaml`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

POLICY_FILE = Path(__file__).resolve().parent.parent / "data" / "policy.yaml"


@cache
def load_policy(path: str | None = None) -> dict:
    return yaml.safe_load(Path(path or POLICY_FILE).read_text(encoding="utf-8"))
