"""The marketing rules file (`skills/data/campaigns.yaml`), read and validated.

Validation is pydantic's: an unknown trigger, fact or action, a rule without a
text in every language, or a placeholder that no fact fills is refused with the
file and the place named, before the assistant answers anyone.
"""

from __future__ import annotations

import os
import string
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    field_validator,
    model_validator,
)

from skills.nlu.language import LANGUAGES

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "campaigns.yaml"
Trigger = Literal["session_start", "products_proposed", "cart_changed", "checkout"]
TRIGGERS = get_args(Trigger)
# What a condition may test, and what a `say` text may name. Each is documented
# in the rules file's header.
FACTS = {
    "campaign": str,
    "referrer": str,
    "coupon": bool,
    "country": str,
    "abroad": bool,
    "delivers": bool,
    "lang": str,
    "weather": list,
    "segments": list,
    "cart_value": float,
    "free_delivery": bool,
    "past_orders": int,
    "orders_to_reward": int,
    "hour": int,
}
# Values a `say` text may use besides the facts.
SAY_VALUES = {"country_name", "delivery_days", "reward", "threshold", "region"}


class RulesError(ValueError):
    """The rules file cannot be used; the message names the file and the place."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(RootModel[dict[str, str]]):
    """One sentence per language, for every language the skill has data for."""

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="after")
    def _every_language_and_known_placeholders(self) -> Texts:
        missing = [lang for lang in LANGUAGES if lang not in self.root]
        if missing:
            raise ValueError(f"a text is missing for {', '.join(missing)}")
        unknown = sorted(set(self.root) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"{', '.join(unknown)} is not a language of the skill")
        for text in self.root.values():
            for _, name, _, _ in string.Formatter().parse(text):
                if name is not None and name not in FACTS and name not in SAY_VALUES:
                    raise ValueError(f"{{{name}}} is not a fact or value a text can say")
        return self

    def get(self, lang: str) -> str:
        return self.root[lang]


class Discount(_Strict):
    percent: float = Field(gt=0, le=90)


class Campaign(_Strict):
    """An arrival campaign; one with codes is a coupon campaign."""

    codes: dict[str, Discount] = {}

    @field_validator("codes")
    @classmethod
    def _spoken_codes(cls, codes: dict[str, Discount]) -> dict[str, Discount]:
        for code in codes:
            if not code.isalnum():
                raise ValueError(f"code {code!r} must be letters and digits only (it is spoken)")
        return {code.upper(): value for code, value in codes.items()}


class Propose(_Strict):
    """Products to put first: the best catalogue match for each query."""

    queries: list[str] = Field(min_length=1, max_length=3)


class FollowUp(_Strict):
    reason: str
    channel: Literal["email", "sms"] = "email"


class Action(_Strict):
    """Exactly one of the fields."""

    say: Texts | None = None
    discount: Discount | None = None
    propose: Propose | None = None
    ask_promo_code: dict | None = None
    follow_up: FollowUp | None = None

    @model_validator(mode="after")
    def _one(self) -> Action:
        given = [name for name, value in self if value is not None]
        if len(given) != 1:
            raise ValueError(
                "an action is exactly one of say, discount, propose, ask_promo_code, follow_up"
            )
        return self

    @property
    def kind(self) -> str:
        return next(name for name, value in self if value is not None)


class Rule(_Strict):
    id: str
    trigger: Trigger
    when: dict[str, Any] = {}
    do: list[Action] = Field(min_length=1)

    @field_validator("when")
    @classmethod
    def _known_facts(cls, when: dict[str, Any]) -> dict[str, Any]:
        for fact, test in when.items():
            if fact not in FACTS:
                raise ValueError(f"unknown fact {fact!r}: one of {', '.join(FACTS)}")
            if isinstance(test, dict):
                unknown = set(test) - {"min", "max", "not"}
                if unknown or not test:
                    raise ValueError(f"{fact}: a test mapping takes min, max or not")
        return when


class Loyalty(_Strict):
    every: int = Field(gt=0)  # each `every`-th order wins the reward
    reward: Texts


class AbandonedCart(_Strict):
    """When a known customer's cart left alone becomes a follow-up, and on what."""

    after_hours: float = Field(24, gt=0)
    channel: Literal["email", "sms"] = "email"


class RuleBook(_Strict):
    campaigns: dict[str, Campaign] = {}
    loyalty: Loyalty | None = None
    abandoned_cart: AbandonedCart = AbandonedCart()
    rules: list[Rule] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleBook:
        ids = [rule.id for rule in self.rules]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"rule ids must be unique: {', '.join(doubles)}")
        return self

    def for_trigger(self, trigger: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.trigger == trigger]


def parse_rules(data: object, source: str = "rules") -> RuleBook:
    try:
        return RuleBook.model_validate(data or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'top level'}: {error['msg']}"
            for error in exc.errors()
        )
        raise RulesError(f"{source}: {problems}") from None


def load_rules(path: str | None = None) -> RuleBook:
    """The rules in `path`, else $VOICESHOP_RULES, else the shop's bundled file."""
    return _load_rules(str(path or os.environ.get("VOICESHOP_RULES") or RULES_FILE))


@cache
def _load_rules(path: str) -> RuleBook:
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{file}: cannot read the rules file ({exc.strerror}).") from None
    except yaml.YAMLError as exc:
        raise RulesError(f"{file}: not valid YAML ({exc}).") from None
    return parse_rules(data, str(file))
