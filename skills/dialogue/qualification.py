"""Lead qualification instead of a form: consent first (the purpose said in plain
words, the answer recorded with the wording), then name, e-mail spelled aloud,
phone number, interests, budget and preferred contact time — each checked, the
contact details read back for confirmation. The customer can skip a question
("skip") or stop ("stop") at any time; without consent nothing is kept.

Each confirmed answer is a `LeadFieldConfirmed` effect that the assistant writes to
the customer record with the turn; the dialogue itself only holds the question
being asked, and the funnel's event log never sees the answers.
"""

from __future__ import annotations

import re
import uuid

from skills.contact import email_from, email_read_back, phone_from, phone_read_back
from skills.dialogue.effects import ConsentChanged, Effect, LeadFieldConfirmed
from skills.dialogue.phrases import Phrases
from skills.dialogue.questions import Expects, Pending, QuestionKind
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.privacy import load_privacy
from skills.reply import Reply

STEPS = ("name", "email", "phone", "interests", "budget", "contact_time")
CONFIRMED = ("name", "email", "phone")  # read back before they are kept


class LeadForm:
    def __init__(self, phrases: Phrases, home_country: str) -> None:
        self.phrases = phrases
        self.lexicon = phrases.lexicon
        self.home_country = home_country

    def start(self, state: DialogueState) -> Reply:
        wording = load_privacy().purposes["contact"].wording.get(self.phrases.lang)
        state.pending = Pending(
            QuestionKind.LEAD, data={"step": "consent", "wording": wording}, expects=Expects.YES_NO
        )
        return Reply(wording)

    def answer(self, state: DialogueState, parse: Parse, pending: Pending) -> Reply:
        said, asked = parse.text.strip(), pending.data
        if self._said_one_of(said, "lead_stop") or parse.intent == "cancel":
            return self._say("lead_stopped")
        step, kept = asked["step"], dict(asked.get("kept", {}))
        if step == "consent":
            return self._consent(state, parse, pending)
        if "value" in asked:  # a read-back awaiting yes or no
            if parse.intent == "yes":
                return self._keep(state, step, asked["value"], kept)
            return self._ask(state, step, kept)  # wrong: asked afresh
        if self._said_one_of(said, "lead_skip"):
            return self._next(state, step, [], kept)
        value = self._read(step, said, parse, state)
        if value is None:
            return self._ask(state, step, kept, retry=True)
        if step in CONFIRMED:
            state.pending = Pending(
                QuestionKind.LEAD, data={**asked, "value": value}, expects=Expects.YES_NO
            )
            spoken = self._spoken(step, value, state)
            return self._say(f"lead_confirm_{step}", value=spoken)
        return self._keep(state, step, value, kept)

    # -- steps ---------------------------------------------------------------------------
    def _consent(self, state: DialogueState, parse: Parse, pending: Pending) -> Reply:
        wording = pending.data["wording"]
        if parse.intent not in ("yes", "no"):
            state.pending = pending
            return Reply(f"{self.phrases.say('pardon')} {wording}")
        granted = parse.intent == "yes"
        effects: list[Effect] = []
        if granted and not state.context.get("customer_id"):
            state.context["customer_id"] = "lead-" + uuid.uuid4().hex[:12]
        if state.context.get("customer_id"):  # an anonymous refusal leaves no trace
            effects.append(ConsentChanged("contact", granted, wording))
        if granted:
            effects.append(LeadFieldConfirmed("lang", state.lang))
        reply = self._ask(state, STEPS[0], {}) if granted else self._say("lead_no_consent")
        reply.effects += effects
        return reply

    def _read(self, step: str, said: str, parse: Parse, state: DialogueState) -> object:
        if step == "name":
            return self._name(said)
        if step == "email":
            return email_from(said, self.lexicon["email_words"])
        if step == "phone":
            return phone_from(said, state.context.get("country") or self.home_country)
        if step == "interests":  # the product named, else the category
            if parse.slots.get("product"):
                return [parse.slots["product"]]
            category = parse.slots.get("category")
            return [self.phrases.category(category)] if category else None
        if step == "budget":
            budget = parse.slots.get("budget") or {}
            amount = budget.get("max") or budget.get("around") or parse.slots.get("quantity")
            return float(amount) if amount else None
        for part, cues in self.lexicon["contact_times"].items():  # contact_time
            if any(re.search(rf"\b{cue}\b", said.lower()) for cue in cues):
                return part
        return None

    def _name(self, said: str) -> str | None:
        text = said.lower()
        for prefix in self.lexicon["name_prefixes"]:
            if text.startswith(prefix + " "):
                said = said[len(prefix) + 1 :]
                break
        words = [w for w in re.split(r"\s+", said.strip(" .!")) if w]
        if not 1 <= len(words) <= 4 or not all(re.fullmatch(r"[^\W\d_][\w'-]*", w) for w in words):
            return None
        return " ".join(w[:1].upper() + w[1:] for w in words)

    def _spoken(self, step: str, value: object, state: DialogueState) -> str:
        if step == "email":
            return email_read_back(str(value), self.lexicon["email_words"])
        if step == "phone":
            return phone_read_back(str(value), state.context.get("country") or self.home_country)
        return str(value)

    def _keep(self, state: DialogueState, step: str, value: object, kept: dict) -> Reply:
        if step == "budget":
            value = self.phrases.price(float(value))
        if step == "contact_time":
            value = self.phrases.fragment(f"contact_{value}")
        return self._next(state, step, [LeadFieldConfirmed(step, value)], kept)

    def _next(
        self, state: DialogueState, step: str, fields: list[LeadFieldConfirmed], kept: dict
    ) -> Reply:
        kept = {**kept, **{confirmed.field: confirmed.value for confirmed in fields}}
        index = STEPS.index(step) + 1
        if index == len(STEPS):
            state.pending = None
            reply = self._done(kept)
            reply.events.append({"kind": "lead_completed"})
        else:
            reply = self._ask(state, STEPS[index], kept)
        reply.effects += fields
        return reply

    def _ask(self, state: DialogueState, step: str, kept: dict, retry: bool = False) -> Reply:
        state.pending = Pending(QuestionKind.LEAD, data={"step": step, "kept": kept})
        return self._say(f"lead_{'again' if retry else 'ask'}_{step}")

    def _done(self, kept: dict) -> Reply:
        name = f", {kept['name']}" if kept.get("name") else ""
        when = f" {kept['contact_time']}" if kept.get("contact_time") else ""
        return self._say("lead_done", customer=name, when=when)

    def _said_one_of(self, said: str, key: str) -> bool:
        text = said.lower().strip(" .!")
        return text in self.lexicon[key]

    def _say(self, key: str, **values: object) -> Reply:
        return Reply(self.phrases.say(key, **values))
