"""The customer record: one per customer, merging what voice sessions, the
webhooks' user ids and e-mail tell about them; their consents per purpose, as a
history; and what the law gives them: an export of everything held, and erasure.

Every table that holds something about a customer is listed in `CUSTOMER_TABLES`
(or found through the sessions whose context names the customer), so that export
and erasure cannot forget one.
"""

from __future__ import annotations

import hashlib
import json
import time

import sqlite_utils

from skills.privacy import load_privacy
from skills.storage import ThreadConnections, writing

# table → its column naming the customer; rows are exported and erased by it.
CUSTOMER_TABLES = {
    "events": "customer_id",
    "tickets": "customer_id",
    "followups": "customer_id",
    "saved_carts": "customer_id",
    "customer_links": "customer_id",
    "consents": "customer_id",
    "handoffs": "customer_id",
    "callbacks": "customer_id",
}
# Tables whose rows belong to a session: those of the customer's sessions go too.
SESSION_TABLES = ("events", "tickets", "handoffs", "agent_messages", "callbacks", "turns")
# Kept for accounting, so detached from the customer rather than deleted.
ANONYMISED_TABLES = {"orders": "customer_id", "invoices": "customer_id"}
RECORD_FIELDS = ("name", "email", "phone", "lang", "interests", "budget", "contact_time")


class UnknownCustomerError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


class CustomerBook:
    def __init__(self, path: str) -> None:
        self._conn = ThreadConnections(path).get
        db = sqlite_utils.Database(self._conn())
        self.db = db
        tables = set(db.table_names())
        if "customers" not in tables:
            db["customers"].create(
                {
                    "id": str,
                    "name": str,
                    "email": str,
                    "phone": str,
                    "lang": str,
                    "interests": str,
                    "budget": str,
                    "contact_time": str,
                    "created_at": float,
                    "updated_at": float,
                },
                pk="id",
            )
        if "customer_links" not in tables:
            db["customer_links"].create(
                {"kind": str, "value": str, "customer_id": str, "created_at": float},
                pk=("kind", "value"),
            )
            db["customer_links"].create_index(["customer_id"])
        if "consents" not in tables:
            db["consents"].create(
                {
                    "id": int,
                    "customer_id": str,
                    "purpose": str,
                    "granted": int,
                    "at": float,
                    "wording": str,
                    "session_id": str,
                },
                pk="id",
                not_null={"customer_id", "purpose", "granted", "at"},
            )
            db["consents"].create_index(["customer_id", "purpose"])
        if "erasures" not in tables:
            # The proof of erasure: when, and a digest of the id, never the id itself.
            db["erasures"].create(
                {"id": int, "erased_at": float, "digest": str, "rows": int}, pk="id"
            )

    # -- the record ----------------------------------------------------------------------
    def ensure(self, customer_id: str) -> None:
        now = time.time()
        self._conn().execute(
            "INSERT OR IGNORE INTO customers (id, created_at, updated_at) VALUES (?, ?, ?)",
            [customer_id, now, now],
        )

    def get(self, customer_id: str) -> dict | None:
        conn = self._conn()
        row = conn.execute(
            "SELECT id, name, email, phone, lang, interests, budget, contact_time, created_at "
            "FROM customers WHERE id = ?",
            [customer_id],
        ).fetchone()
        if row is None:
            return None
        keys = ("id", *RECORD_FIELDS, "created_at")
        record = dict(zip(keys, row, strict=True))
        record["interests"] = json.loads(record["interests"] or "[]")
        return record

    def update(self, customer_id: str, **fields: object) -> None:
        """Sets record fields (name, email, phone, lang, interests, budget, contact_time)."""
        unknown = set(fields) - set(RECORD_FIELDS)
        if unknown:
            raise ValueError(f"Not a customer field: {', '.join(sorted(unknown))}.")
        self.ensure(customer_id)
        values = {
            k: json.dumps(v, ensure_ascii=False) if k == "interests" else v
            for k, v in fields.items()
        }
        assignments = ", ".join(f"{name} = ?" for name in values)  # names checked above
        self._conn().execute(
            f"UPDATE customers SET {assignments}, updated_at = ? WHERE id = ?",
            [*values.values(), time.time(), customer_id],
        )

    def link(self, kind: str, value: str, customer_id: str | None = None) -> str:
        """The customer known by this external id (an Alexa user, an e-mail…): the one
        it is already linked to, else `customer_id`, else a new one. The same external
        id always leads to the same customer."""
        conn = self._conn()
        row = conn.execute(
            "SELECT customer_id FROM customer_links WHERE kind = ? AND value = ?", [kind, value]
        ).fetchone()
        if row:
            return row[0]
        if customer_id is None:
            customer_id = "c-" + hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:16]
        self.ensure(customer_id)
        conn.execute(
            "INSERT OR IGNORE INTO customer_links (kind, value, customer_id, created_at) "
            "VALUES (?, ?, ?, ?)",
            [kind, value, customer_id, time.time()],
        )
        return customer_id

    def known_by(self, kind: str, value: str) -> str | None:
        """The customer this external id already leads to, without making one."""
        row = (
            self._conn()
            .execute(
                "SELECT customer_id FROM customer_links WHERE kind = ? AND value = ?", [kind, value]
            )
            .fetchone()
        )
        return row[0] if row else None

    def merge(self, source: str, target: str) -> None:
        """One customer after all (`source` gave an e-mail `target` is known by): what
        `source` holds moves to `target`, whose own details win, and `source` goes."""
        if source == target:
            return
        conn = self._conn()
        old, new = self.get(source) or {}, self.get(target) or {}
        with writing(conn):
            for table, column in CUSTOMER_TABLES.items():
                if _has_table(conn, table) and table not in ("saved_carts", "customer_links"):
                    conn.execute(
                        f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [target, source]
                    )
            conn.execute(
                "UPDATE OR IGNORE customer_links SET customer_id = ? WHERE customer_id = ?",
                [target, source],
            )
            conn.execute("DELETE FROM customer_links WHERE customer_id = ?", [source])
            conn.execute("DELETE FROM saved_carts WHERE customer_id = ?", [source])
            for table, column in ANONYMISED_TABLES.items():
                if _has_table(conn, table):
                    conn.execute(
                        f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [target, source]
                    )
            conn.execute(
                "UPDATE sessions SET state = json_set(state, '$.context.customer_id', ?), "
                "version = version + 1 WHERE json_extract(state, '$.context.customer_id') = ?",
                [target, source],
            )
            conn.execute("DELETE FROM customers WHERE id = ?", [source])
        missing = {k: old[k] for k in RECORD_FIELDS if old.get(k) and not new.get(k)}
        if missing:
            self.update(target, **missing)

    # -- consent ---------------------------------------------------------------------------
    def record_consent(
        self,
        customer_id: str,
        purpose: str,
        granted: bool,
        wording: str,
        session_id: str | None = None,
        at: float | None = None,
    ) -> None:
        if purpose not in load_privacy().purposes:
            raise ValueError(f"Unknown consent purpose {purpose!r}.")
        self.ensure(customer_id)
        self._conn().execute(
            "INSERT INTO consents (customer_id, purpose, granted, at, wording, session_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                customer_id,
                purpose,
                int(granted),
                time.time() if at is None else at,
                wording,
                session_id,
            ],
        )

    def consents(self, customer_id: str) -> dict[str, bool]:
        """Each purpose's current answer: the last one given, else the shop's default."""
        current = {name: p.default for name, p in load_privacy().purposes.items()}
        rows = (
            self._conn()
            .execute(
                "SELECT purpose, granted FROM consents WHERE customer_id = ? ORDER BY at, id",
                [customer_id],
            )
            .fetchall()
        )
        current.update({purpose: bool(granted) for purpose, granted in rows})
        return current

    def allows(self, customer_id: str | None, purpose: str) -> bool:
        if not customer_id:
            return False
        return self.consents(customer_id)[purpose]

    # -- export and erasure ------------------------------------------------------------
    def _sessions_of(self, customer_id: str) -> list[str]:
        conn = self._conn()
        ids = {
            row[0]
            for row in conn.execute(
                "SELECT id FROM sessions WHERE json_extract(state, '$.context.customer_id') = ?",
                [customer_id],
            )
        }
        for table in ("events", "tickets", "handoffs", "callbacks"):
            if _has_table(conn, table):
                ids |= {
                    row[0]
                    for row in conn.execute(
                        f"SELECT DISTINCT session_id FROM {table} WHERE customer_id = ?",
                        [customer_id],
                    )
                }
        return sorted(i for i in ids if i)

    def export(self, customer_id: str) -> dict:
        """Everything held about the customer, table by table."""
        record = self.get(customer_id)
        sessions = self._sessions_of(customer_id)
        if record is None and not sessions:
            raise UnknownCustomerError(f"No customer '{customer_id}'.")
        conn = self._conn()
        data: dict = {"customer": record, "consents_now": self.consents(customer_id)}
        marks = ", ".join("?" * len(sessions))
        for table, column in {**CUSTOMER_TABLES, **ANONYMISED_TABLES}.items():
            if not _has_table(conn, table):
                continue
            where, params = f"{column} = ?", [customer_id]
            if table in SESSION_TABLES:
                where, params = f"{where} OR session_id IN ({marks})", [customer_id, *sessions]
            data[table] = _rows(conn, f"SELECT * FROM {table} WHERE {where}", params)
        if _has_table(conn, "agent_messages"):
            data["agent_messages"] = _rows(
                conn, f"SELECT * FROM agent_messages WHERE session_id IN ({marks})", sessions
            )
        data["sessions"] = _rows(conn, f"SELECT * FROM sessions WHERE id IN ({marks})", sessions)
        for session in data["sessions"]:
            session["state"] = json.loads(session["state"])
        return data

    def erase(self, customer_id: str) -> int:
        """Deletes everything about the customer (their orders and invoices are kept
        for accounting, detached from them) and records a proof of erasure; returns
        how many rows were deleted or detached."""
        sessions = self._sessions_of(customer_id)
        conn = self._conn()
        touched = 0
        marks = ", ".join("?" * len(sessions))
        with writing(conn):
            for table in SESSION_TABLES:
                if _has_table(conn, table):
                    touched += conn.execute(
                        f"DELETE FROM {table} WHERE session_id IN ({marks})", sessions
                    ).rowcount
            for table, column in CUSTOMER_TABLES.items():
                if _has_table(conn, table):
                    touched += conn.execute(
                        f"DELETE FROM {table} WHERE {column} = ?", [customer_id]
                    ).rowcount
            for table, column in ANONYMISED_TABLES.items():
                if _has_table(conn, table):
                    touched += conn.execute(
                        f"UPDATE {table} SET {column} = NULL WHERE {column} = ?", [customer_id]
                    ).rowcount
            if _has_table(conn, "orders"):
                conn.execute(
                    f"UPDATE orders SET session_id = NULL WHERE session_id IN ({marks})", sessions
                )
            touched += conn.execute(
                f"DELETE FROM sessions WHERE id IN ({marks})", sessions
            ).rowcount
            touched += conn.execute("DELETE FROM customers WHERE id = ?", [customer_id]).rowcount
            conn.execute(
                "INSERT INTO erasures (erased_at, digest, rows) VALUES (?, ?, ?)",
                [time.time(), hashlib.sha256(customer_id.encode()).hexdigest(), touched],
            )
        return touched


def _has_table(conn, name: str) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()
    )


def _rows(conn, sql: str, params: list) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
