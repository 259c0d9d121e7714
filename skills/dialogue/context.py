"""What every flow may use during a turn: the shop's catalogue and policies, the
session's phrases, the clock, and read-only views of orders and customers. Flows
share through this, never by importing each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from catalog.lookup import ProductInfo, get_product
from catalog.search import CatalogSearch
from skills.campaigns.rules import RuleBook
from skills.customers import CustomerBook
from skills.dialogue.persona import Persona
from skills.dialogue.phrases import Phrases
from skills.dialogue.qualification import LeadForm
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.orders import OrderBook
from skills.reply import Reply
from skills.schedule import AdviserHours


@dataclass(frozen=True)
class TurnContext:
    db: sqlite_utils.Database
    lang: str
    search: CatalogSearch
    phrases: Phrases  # rotating through the session's own phrasings
    persona: Persona
    policy: dict
    rules: RuleBook
    hours: AdviserHours
    lead: LeadForm
    clock: Callable[[], datetime]
    orders: OrderBook | None  # read only: the customers' orders, when the shop has them
    customers: CustomerBook | None  # read only: records and consents
    proposals: int  # how many products a proposal names
    handle: Callable[[DialogueState, Parse], Reply]  # a turn through the registry again

    def now(self) -> datetime:
        return self.clock()

    def product(self, product_id: str | None) -> ProductInfo | None:
        return get_product(self.db, product_id) if product_id else None

    def say(self, key: str, **values: object) -> Reply:
        return Reply(self.phrases.say(key, **values))

    def failed(self, key: str, **values: object) -> Reply:
        reply = self.say(key, **values)
        reply.failed = True
        return reply

    def zone(self, state: DialogueState) -> str:
        return state.context.get("timezone") or self.policy["timezone"]

    def known_customer(self, state: DialogueState) -> str | None:
        customer = state.context.get("customer_id")
        return customer if customer and self.customers is not None else None
