"""`python -m bench.traffic --db FILE`: simulated shop traffic through the real
assistant, so that `voiceshop report` has a funnel to show. Seeded: the same
sessions every time. Shoppers arrive from campaigns and countries, browse, some
fill a cart, some check out; a few say things the shop does not understand."""

from __future__ import annotations

import argparse
import random

from skills.assistant import Assistant

PRODUCTS = ["wool sweaters", "running shoes", "headphones", "face creams", "building blocks"]
CONTEXTS = [
    {},
    {"campaign": "winter-mailing"},
    {"campaign": "spring-newsletter", "country": "BE"},
    {"country": "GB"},
    {"region": "Lyon", "country": "FR"},
    {"country": "DE"},
]
ASIDES = ["what's the weather like", "play some music", "tell me a joke"]


def simulate(assistant: Assistant, sessions: int, seed: int = 7) -> None:
    pick = random.Random(seed)
    for number in range(sessions):
        context = dict(pick.choice(CONTEXTS))
        if pick.random() < 0.3:
            context["customer_id"] = f"sim-{number % 40}"
        turn = assistant.ask("hello", None, "en", context=context)
        session = turn.session_id

        def say(text: str, session: str = session):
            return assistant.ask(text, session)

        if "promo code" in turn.reply.text:
            say("winter ten" if pick.random() < 0.6 else "no")
        if pick.random() < 0.1:
            say(pick.choice(ASIDES))
        if pick.random() > 0.8:
            continue  # leaves after the greeting
        reply = say(f"show me {pick.choice(PRODUCTS)}").reply
        if not reply.products or pick.random() > 0.55:
            continue
        reply = say(f"add the {pick.choice(['first', 'second'])} one to my cart").reply
        for _ in range(2):  # a size or colour asked for: the first option
            pending = assistant.sessions.load(session).pending
            if not pending or pending.get("kind") != "variant":
                break
            reply = say(str(pending["options"][0])).reply
        if pick.random() > 0.5:
            continue
        say("check out")
        say("yes" if pick.random() < 0.8 else "no")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="SQLite file to fill")
    parser.add_argument("--sessions", type=int, default=300)
    args = parser.parse_args()
    simulate(Assistant(args.db, demo=True), args.sessions)  # traffic on the demo shop


if __name__ == "__main__":
    main()
