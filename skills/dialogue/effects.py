"""What a turn decided that outlives the conversation: typed and frozen, returned
with the reply and applied by the assistant in the same transaction as the
session state, so that a turn happens completely or not at all."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrderPlaced:
    order: dict  # {"id", "lines", "total", "currency", "discount"}


@dataclass(frozen=True)
class OrderCancelled:
    order_id: str


@dataclass(frozen=True)
class ComplaintOpened:
    ticket: str
    category: str


@dataclass(frozen=True)
class CallbackBooked:
    at: float  # when to call, epoch seconds
    phone: str


@dataclass(frozen=True)
class HandoffRequested:
    reason: str  # asked | failures | complaint


@dataclass(frozen=True)
class ConsentChanged:
    purpose: str
    granted: bool
    wording: str  # the question as it was said


@dataclass(frozen=True)
class LeadFieldConfirmed:
    field: str  # a customer record field: name, email, phone, lang, interests…
    value: object


@dataclass(frozen=True)
class FollowUpNoted:
    reason: str
    channel: str
    source: str  # one follow-up per source, however often it is noted
    transactional: bool = False  # asked for by the customer: no marketing consent needed


@dataclass(frozen=True)
class CartChanged:
    """Kept for a known customer beyond the session, with their consent."""


@dataclass(frozen=True)
class SavedCartDeclined:
    """Last visit's cart was not wanted back: it is forgotten."""


@dataclass(frozen=True)
class EraseCustomer:
    """Everything about the customer goes, this session with it: applied last."""


Effect = (
    OrderPlaced
    | OrderCancelled
    | ComplaintOpened
    | CallbackBooked
    | HandoffRequested
    | ConsentChanged
    | LeadFieldConfirmed
    | FollowUpNoted
    | CartChanged
    | SavedCartDeclined
    | EraseCustomer
)
