"""A question awaiting the shopper's answer: which flow reads the answer (its kind),
what the answer can be (yes or no, one of some options, anything), and what the flow
needs to remember meanwhile. The recogniser is biased from what it expects."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class QuestionKind(str, Enum):
    CONFIRM = "confirm"  # did you mean …? (a change understood with little confidence)
    WHICH_PRODUCT = "which_product"  # several products on the table: which one?
    CRITERIA = "question"  # discovery: who is it for, which kind, what budget
    VARIANT = "variant"  # the size or colour of a product being added
    CHECKOUT = "checkout"
    RESTORE_CART = "restore_cart"
    PROMO_CODE = "promo_code"  # do you have one? (yes, no, or the code itself)
    CANCEL_ORDER = "cancel_order"
    EMAIL_INVOICE = "email_invoice"
    COMPLAINT_HANDOFF = "complaint_handoff"
    CALLBACK_WHEN = "callback_when"
    CALLBACK_PHONE = "callback_phone"
    CALLBACK_CONFIRM = "callback_confirm"
    LEAD = "lead"
    ERASE = "erase"
    CONSENT_WHICH = "consent_which"
    FEATURE_ADVISER = "feature_adviser"  # the catalogue does not say: ask an adviser?
    WIDEN = "widen"  # nothing cheaper of that kind: look over the whole category?


class Expects(str, Enum):
    YES_NO = "yes_no"
    OPTION = "option"  # one of `labels`
    FREE = "free"  # a time, a phone number, a name, a code…


_FREE = {
    QuestionKind.CALLBACK_WHEN,
    QuestionKind.CALLBACK_PHONE,
    QuestionKind.CONSENT_WHICH,
    QuestionKind.LEAD,
}
_OPTIONS = {QuestionKind.WHICH_PRODUCT, QuestionKind.CRITERIA, QuestionKind.VARIANT}


@dataclass
class Pending:
    kind: QuestionKind
    attribute: str = ""  # what an option answer sets: size, colour, budget, recipient…
    options: list = field(default_factory=list)  # the values an answer may pick
    labels: list[str] = field(default_factory=list)  # the options as said to the shopper
    data: dict = field(default_factory=dict)  # what the asking flow keeps until the answer
    expects: Expects | None = None  # by default from the kind

    def __post_init__(self) -> None:
        self.kind = QuestionKind(self.kind)
        if self.expects is None:
            self.expects = default_expects(self.kind)
        self.expects = Expects(self.expects)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "expects": self.expects.value,
            "attribute": self.attribute,
            "options": list(self.options),
            "labels": list(self.labels),
            "data": self.data,
        }

    @classmethod
    def from_dict(cls, saved: dict) -> Pending:
        """Also reads sessions saved before questions were typed, whose flat dicts
        held the flow's data beside the kind."""
        if "data" in saved and "expects" in saved:
            return cls(**saved)
        rest = dict(saved)
        return cls(
            kind=rest.pop("kind"),
            attribute=rest.pop("attribute", ""),
            options=rest.pop("options", []),
            labels=rest.pop("labels", []),
            data=rest,
        )


def default_expects(kind: QuestionKind) -> Expects:
    if kind in _FREE:
        return Expects.FREE
    if kind in _OPTIONS:
        return Expects.OPTION
    return Expects.YES_NO
