"""What the skill answers for one turn, in the forms every channel needs."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from xml.sax.saxutils import escape

from skills.dialogue.effects import Effect


@dataclass
class Reply:
    text: str
    products: list[dict] = field(default_factory=list)  # [{"id", "title", "price"}]
    end_session: bool = False
    intent: str = ""
    slots: dict = field(default_factory=dict)
    confidence: float = 0.0
    unmatched: list[str] = field(default_factory=list)  # words understood as nothing
    failed: bool = False  # the turn was not understood (counted for the repair offer)
    events: list[dict] = field(default_factory=list)  # for the funnel's event log, not the caller
    effects: list[Effect] = field(default_factory=list)  # committed with the session state

    @property
    def ssml(self) -> str:
        """The reply for channels that take SSML (Alexa, Dialogflow): escaped text,
        a short pause between sentences."""
        sentences = [s.strip() for s in _sentences(self.text) if s.strip()]
        return "<speak>" + '<break time="250ms"/>'.join(escape(s) for s in sentences) + "</speak>"

    def add_aside(self, sentence: str) -> None:
        """Adds a sentence the shopper need not answer: before the reply's closing
        question if it ends with one, so that the question is still the last thing
        heard."""
        parts = [p.strip() for p in _sentences(self.text) if p.strip()]
        if parts and parts[-1].endswith("?"):
            parts.insert(len(parts) - 1, sentence)
        else:
            parts.append(sentence)
        self.text = " ".join(parts)

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["failed"], data["events"], data["effects"]
        return {**data, "ssml": self.ssml}


def _sentences(text: str) -> list[str]:
    parts, current = [], ""
    for i, char in enumerate(text):
        current += char
        if char in ".?!" and (i + 1 == len(text) or text[i + 1] == " "):
            parts.append(current)
            current = ""
    return [*parts, current]
