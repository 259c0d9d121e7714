"""Fires the marketing rules at a trigger: the first rule actions that hold add
to the turn's reply (a sentence, products put first, a promo-code question) or
to the session (a discount, a follow-up to send). Each rule fires at most once
a session, and says so in the turn's events for the funnel report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from catalog.search import Hit
from skills.campaigns.facts import holds, session_facts
from skills.campaigns.rules import Action, Rule, RuleBook
from skills.dialogue.answers import days_text
from skills.dialogue.effects import FollowUpNoted
from skills.dialogue.phrases import Phrases
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.state import DialogueState
from skills.reply import Reply


class CampaignEngine:
    """The rules of one shop, speaking one language; `find` is the catalogue's best
    match for a query (for `propose`)."""

    def __init__(
        self, rules: RuleBook, policy: dict, phrases: Phrases, find: Callable[[str], Hit | None]
    ) -> None:
        self.rules = rules
        self.policy = policy
        self.phrases = phrases
        self.find = find

    def fire(self, trigger: str, state: DialogueState, reply: Reply, now: datetime) -> None:
        facts = session_facts(state, self.rules, self.policy, now)
        closing: list[str] = []  # questions the rules ask: said last, after the asides
        for rule in self.rules.for_trigger(trigger):
            if rule.id in state.fired:
                continue
            if not all(holds(test, facts[fact]) for fact, test in rule.when.items()):
                continue
            state.fired.append(rule.id)
            reply.events.append({"kind": "rule_fired", "rule": rule.id, "trigger": trigger})
            for action in rule.do:
                self._apply(rule, action, state, reply, facts, closing)
        reply.text = " ".join([reply.text, *closing]).strip()

    def _apply(
        self,
        rule: Rule,
        action: Action,
        state: DialogueState,
        reply: Reply,
        facts: dict,
        closing: list[str],
    ) -> None:
        if action.say:
            values = {**facts, **self._say_values(facts)}
            reply.add_aside(action.say.get(self.phrases.lang).format(**values))
        elif action.discount:
            _grant(state, action.discount.percent, rule.id)
        elif action.propose:
            self._propose(action.propose.queries, state, reply)
        elif action.ask_promo_code is not None:
            campaign = self.rules.campaigns.get(facts["campaign"] or "")
            if campaign and campaign.codes and not state.discount:
                state.promo = {"campaign": facts["campaign"]}
                if state.pending is None:
                    state.pending = Pending(QuestionKind.PROMO_CODE)
                closing.append(self.phrases.say("ask_promo_code"))
        elif action.follow_up:
            follow_up = action.follow_up
            noted = FollowUpNoted(follow_up.reason, follow_up.channel, f"rule:{rule.id}")
            reply.effects.append(noted)

    def _propose(self, queries: list[str], state: DialogueState, reply: Reply) -> None:
        """Put these products first, unless the turn already proposed others."""
        if reply.products:
            return
        hits = [hit for hit in (self.find(q) for q in queries) if hit]
        if not hits:
            return
        state.proposed, state.focus = [h.id for h in hits], None
        reply.products = [{"id": h.id, "title": h.title, "price": h.price} for h in hits]
        items = [f"{h.title}, {self.phrases.price(h.price, h.currency)}" for h in hits]
        reply.add_aside(self.phrases.say("offer_items", items=self.phrases.join(items)))

    def _say_values(self, facts: dict) -> dict[str, object]:
        lang, delivery = self.phrases.lang, self.policy["delivery"]
        country = facts["country"]
        known = {**delivery["countries"], **delivery.get("not_delivered", {})}
        values: dict[str, object] = {
            "country_name": known.get(country, {}).get(lang, country),
            "threshold": self.phrases.price(delivery["free_above"], self.policy["currency"]),
            "reward": self.rules.loyalty.reward.get(lang) if self.rules.loyalty else "",
            "delivery_days": "",
            "region": "",
        }
        if country in delivery["countries"]:
            days = delivery["countries"][country]["days"]
            values["delivery_days"] = days_text(days, self.phrases)
        return values


def accept_code(rules: RuleBook, state: DialogueState, code: str) -> float | None:
    """The discount for `code` if the shopper's arrival campaign has it, else None."""
    campaign = rules.campaigns.get((state.promo or {}).get("campaign") or "")
    discount = campaign.codes.get(code.upper()) if campaign else None
    if discount is None:
        return None
    _grant(state, discount.percent, f"code:{code.upper()}")
    state.promo = None
    return discount.percent


def _grant(state: DialogueState, percent: float, source: str) -> None:
    if not state.discount or state.discount["percent"] < percent:
        state.discount = {"percent": percent, "source": source}
