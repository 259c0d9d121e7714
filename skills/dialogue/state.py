"""Everything a session remembers between turns, as plain JSON-able data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from skills.dialogue.questions import Pending


@dataclass
class CartLine:
    product_id: str
    title: str
    price: float
    currency: str
    quantity: int = 1
    sku: str | None = None
    variant: str = ""  # as said to the shopper, e.g. "black, M"

    @property
    def total(self) -> float:
        return round(self.price * self.quantity, 2)


@dataclass
class DialogueState:
    lang: str = "en"
    criteria: dict = field(default_factory=dict)  # product, category, colour, size, budget…
    excluded: list[str] = field(default_factory=list)  # product ids turned down
    proposed: list[str] = field(default_factory=list)  # last products offered, in order
    focus: str | None = None  # the product being talked about
    questions_asked: int = 0
    pending: Pending | None = None  # a question awaiting its answer (checkout, variant, …)
    cart: list[CartLine] = field(default_factory=list)
    last_line: str | None = None  # product id of the last cart change
    last_reply: str = ""
    orders: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)  # the transcript, for a hand-off
    handoff: str | None = None  # why an adviser was asked for: asked | failures | complaint
    failures: int = 0  # turns not understood in a row
    silences: int = 0  # silent turns in a row
    context: dict = field(default_factory=dict)  # the arrival, as known at session start
    fired: list[str] = field(default_factory=list)  # marketing rules fired this session
    discount: dict | None = None  # {"percent", "source"}: applied at checkout
    promo: dict | None = None  # a promo code asked for: {"campaign"}
    said: dict[str, int] = field(default_factory=dict)  # phrasings used, for their rotation

    def to_dict(self) -> dict:
        """For JSON: a shallow view, not a copy (dataclasses.asdict deep-copies the
        whole history on every turn)."""
        pending = self.pending.to_dict() if self.pending else None
        return {
            **self.__dict__,
            "cart": [asdict(line) for line in self.cart],
            "pending": pending,
        }

    @classmethod
    def from_dict(cls, data: dict) -> DialogueState:
        data = dict(data)
        data.pop("followups", None)  # sessions saved before follow-ups were effects
        data["cart"] = [CartLine(**line) for line in data.get("cart", [])]
        if data.get("pending"):
            data["pending"] = Pending.from_dict(data["pending"])
        if data.get("handoff") is True:  # sessions saved before reasons were kept
            data["handoff"] = "asked"
        data["handoff"] = data.get("handoff") or None
        return cls(**data)

    def cart_total(self) -> float:
        return round(sum(line.total for line in self.cart), 2)

    def payable_total(self) -> float:
        """The cart total after the session's discount."""
        percent = self.discount["percent"] if self.discount else 0
        return round(self.cart_total() * (100 - percent) / 100, 2)

    def cart_count(self) -> int:
        return sum(line.quantity for line in self.cart)
