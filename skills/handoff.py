"""The hand-off queue: conversations waiting for a human adviser, with everything
the adviser needs so that the customer never repeats themselves — the transcript,
the cart, what was understood so far and a one-paragraph summary.

An adviser claims a conversation (one adviser wins; the others are told who has
it), replies — the assistant speaks the reply to the customer at their next turn,
while what the customer says goes to the adviser — and hands it back.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass

import sqlite_utils

from skills.dialogue.state import DialogueState
from skills.storage import ThreadConnections, writing

REASONS = ("asked", "failures", "complaint")


class HandoffError(ValueError):
    """An adviser's request that cannot be done now; `status` says how to answer it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Handoff:
    id: str
    session_id: str
    customer_id: str | None
    lang: str
    reason: str
    status: str  # waiting | claimed | returned
    agent: str | None
    created_at: float
    summary: str
    transcript: list[dict]
    cart: list[dict]
    understood: dict

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class HandoffQueue:
    def __init__(self, path: str) -> None:
        self._conn = ThreadConnections(path).get
        db = sqlite_utils.Database(self._conn())
        tables = set(db.table_names())
        if "handoffs" not in tables:
            db["handoffs"].create(
                {
                    "id": str,
                    "session_id": str,
                    "customer_id": str,
                    "lang": str,
                    "reason": str,
                    "status": str,
                    "agent": str,
                    "created_at": float,
                    "claimed_at": float,
                    "closed_at": float,
                    "summary": str,
                    "transcript": str,
                    "cart": str,
                    "understood": str,
                },
                pk="id",
                not_null={"session_id", "lang", "reason", "status", "created_at"},
            )
            db["handoffs"].create_index(["session_id", "status"])
            db["handoffs"].create_index(["customer_id"])
        if "agent_messages" not in tables:
            db["agent_messages"].create(
                {
                    "id": int,
                    "handoff_id": str,
                    "session_id": str,
                    "agent": str,
                    "text": str,
                    "at": float,
                    "delivered_at": float,
                },
                pk="id",
                not_null={"handoff_id", "session_id", "text", "at"},
            )
            db["agent_messages"].create_index(["session_id", "delivered_at"])

    def open(
        self, session_id: str, state: DialogueState, reason: str, now: float | None = None
    ) -> str:
        """Queues the conversation (once: a session already queued keeps its place)."""
        current = self.active(session_id)
        if current:
            return current.id
        handoff_id = "H" + uuid.uuid4().hex[:9].upper()
        self._conn().execute(
            "INSERT INTO handoffs (id, session_id, customer_id, lang, reason, status, "
            "created_at, summary, transcript, cart, understood) "
            "VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?)",
            [
                handoff_id,
                session_id,
                state.context.get("customer_id"),
                state.lang,
                reason,
                time.time() if now is None else now,
                summarize(state, reason),
                json.dumps(state.history, ensure_ascii=False),
                json.dumps([line.__dict__ for line in state.cart], ensure_ascii=False),
                json.dumps(_understood(state), ensure_ascii=False),
            ],
        )
        return handoff_id

    def active(self, session_id: str) -> Handoff | None:
        """The session's hand-off still waiting or with an adviser, if any."""
        return self._one(
            "WHERE session_id = ? AND status IN ('waiting', 'claimed') "
            "ORDER BY created_at DESC LIMIT 1",
            [session_id],
        )

    def get(self, handoff_id: str) -> Handoff:
        found = self._one("WHERE id = ?", [handoff_id])
        if found is None:
            raise HandoffError(404, f"No hand-off '{handoff_id}'.")
        return found

    def waiting(self) -> list[Handoff]:
        return self._many("WHERE status = 'waiting' ORDER BY created_at", [])

    def claimed_by(self, agent: str) -> list[Handoff]:
        return self._many("WHERE status = 'claimed' AND agent = ? ORDER BY claimed_at", [agent])

    def claim(self, handoff_id: str, agent: str) -> Handoff:
        """Gives the conversation to `agent`, unless another adviser has it already:
        one conditional UPDATE, so of two advisers claiming at once exactly one wins."""
        done = (
            self._conn()
            .execute(
                "UPDATE handoffs SET status = 'claimed', agent = ?, claimed_at = ? "
                "WHERE id = ? AND status = 'waiting'",
                [agent, time.time(), handoff_id],
            )
            .rowcount
        )
        handoff = self.get(handoff_id)
        if not done and handoff.agent != agent:
            owner = f" by {handoff.agent}" if handoff.agent else ""
            raise HandoffError(409, f"Hand-off {handoff_id} is {handoff.status}{owner}.")
        return handoff

    def reply(self, handoff_id: str, agent: str, text: str) -> None:
        """A message for the customer, spoken at their next turn."""
        handoff = self._mine(handoff_id, agent)
        self._conn().execute(
            "INSERT INTO agent_messages (handoff_id, session_id, agent, text, at) "
            "VALUES (?, ?, ?, ?, ?)",
            [handoff_id, handoff.session_id, agent, text, time.time()],
        )

    def give_back(self, handoff_id: str, agent: str) -> None:
        """The adviser hands the conversation back to the assistant."""
        self._mine(handoff_id, agent)
        self._conn().execute(
            "UPDATE handoffs SET status = 'returned', closed_at = ? WHERE id = ?",
            [time.time(), handoff_id],
        )

    def pending_messages(self, session_id: str) -> list[tuple[int, str]]:
        """The adviser's messages not yet said to the customer: (id, text)."""
        return (
            self._conn()
            .execute(
                "SELECT id, text FROM agent_messages WHERE session_id = ? "
                "AND delivered_at IS NULL ORDER BY id",
                [session_id],
            )
            .fetchall()
        )

    @staticmethod
    def mark_said(conn, message_ids: list[int]) -> None:
        """Marks messages as said, in the caller's transaction (the turn that said them)."""
        conn.executemany(
            "UPDATE agent_messages SET delivered_at = ? WHERE id = ?",
            [(time.time(), message_id) for message_id in message_ids],
        )

    def take_messages(self, session_id: str) -> list[str]:
        """The adviser's messages not yet said, marked as said (for a device that
        fetches them between turns)."""
        conn = self._conn()
        with writing(conn):
            rows = self.pending_messages(session_id)
            self.mark_said(conn, [row[0] for row in rows])
        return [text for _, text in rows]

    def relay(self, handoff_id: str, said: str, answered: str) -> None:
        """What the customer said while with the adviser, added to the transcript."""
        handoff = self.get(handoff_id)
        transcript = [*handoff.transcript, {"user": said, "intent": "relayed", "reply": answered}]
        self._conn().execute(
            "UPDATE handoffs SET transcript = ? WHERE id = ?",
            [json.dumps(transcript, ensure_ascii=False), handoff_id],
        )

    def _mine(self, handoff_id: str, agent: str) -> Handoff:
        handoff = self.get(handoff_id)
        if handoff.status != "claimed" or handoff.agent != agent:
            raise HandoffError(409, f"Claim hand-off {handoff_id} before answering it.")
        return handoff

    def _one(self, where: str, params: list) -> Handoff | None:
        found = self._many(where, params)
        return found[0] if found else None

    def _many(self, where: str, params: list) -> list[Handoff]:
        rows = (
            self._conn()
            .execute(
                "SELECT id, session_id, customer_id, lang, reason, status, agent, created_at, "
                f"summary, transcript, cart, understood FROM handoffs {where}",
                params,
            )
            .fetchall()
        )
        return [
            Handoff(*row[:9], json.loads(row[9]), json.loads(row[10]), json.loads(row[11]))
            for row in rows
        ]


def _understood(state: DialogueState) -> dict:
    return {
        "criteria": state.criteria,
        "proposed": state.proposed,
        "focus": state.focus,
        "pending": state.pending.to_dict() if state.pending else None,
        "arrival": {k: v for k, v in state.context.items() if k != "saved_cart"},
    }


def summarize(state: DialogueState, reason: str) -> str:
    """One paragraph for the adviser: who, why, what they want, what they have."""
    who = (
        f"Customer {state.context['customer_id']}"
        if state.context.get("customer_id")
        else ("An anonymous shopper")
    )
    why = {
        "asked": "asked to talk to an adviser",
        "failures": "was not understood twice in a row",
        "complaint": "made a complaint",
    }[reason]
    parts = [f"{who} ({state.lang}) {why} after {len(state.history)} turns."]
    criteria = {k: _said(v) for k, v in state.criteria.items() if v}
    if criteria:
        wanted = ", ".join(f"{k} {v}" for k, v in criteria.items())
        parts.append(f"Looking for: {wanted}.")
    if state.cart:
        lines = ", ".join(f"{line.quantity} × {line.title}" for line in state.cart)
        parts.append(f"Cart: {lines} ({state.cart_total():.2f} {state.cart[0].currency}).")
    else:
        parts.append("Cart empty.")
    if state.orders:
        parts.append(f"Ordered in this conversation: {', '.join(o['id'] for o in state.orders)}.")
    said = [turn["user"] for turn in state.history if turn.get("user")][-2:]
    if said:
        parts.append("Last said: " + " / ".join(f'"{s}"' for s in said) + ".")
    return " ".join(parts)


def _said(value: object) -> str:
    """A criterion for the adviser: a budget {"max": 80, "currency": "EUR"} as
    "up to 80 EUR"; lists joined."""
    if isinstance(value, dict):
        currency = value.get("currency") or ""
        bounds = {"max": "up to", "min": "from", "around": "around"}
        return ", ".join(
            f"{word} {value[key]:g} {currency}".strip()
            for key, word in bounds.items()
            if isinstance(value.get(key), (int, float))
        )
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
