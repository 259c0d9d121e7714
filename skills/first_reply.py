"""The first spoken answer to a shopper: what the catalogue has for what was heard.

This is the middle of the pipeline until the dialogue skill takes over:
search the heard words and say the best one to three matches briefly.
"""

from __future__ import annotations

from catalog.search import Hit

PHRASES = {
    "en": {
        "none": "Sorry, I found nothing for {query}. Could you say it another way?",
        "one": "I found {title}, at {price}.",
        "many": "I found {count} products. The best match is {title}, at {price}. "
        "There is also {second}, at {second_price}.",
        "unheard": "Sorry, I did not catch that.",
    },
    "fr": {
        "none": "Désolé, je n'ai rien trouvé pour {query}. Pouvez-vous le dire autrement ?",
        "one": "J'ai trouvé {title}, à {price}.",
        "many": "J'ai trouvé {count} produits. Le meilleur choix est {title}, à {price}. "
        "Il y a aussi {second}, à {second_price}.",
        "unheard": "Désolé, je n'ai pas compris.",
    },
}
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def price_text(amount: float, currency: str, lang: str) -> str:
    """A price as text the synthesiser's normaliser reads right in each language."""
    number = f"{amount:.2f}".replace(".", ",") if lang == "fr" else f"{amount:.2f}"
    return f"{number} {SYMBOLS.get(currency, currency)}"


def reply_for(query: str, hits: list[Hit], lang: str) -> str:
    phrases = PHRASES[lang]
    if not query.strip():
        return phrases["unheard"]
    if not hits:
        return phrases["none"].format(query=query)
    first = hits[0]
    if len(hits) == 1:
        return phrases["one"].format(
            title=first.title, price=price_text(first.price, first.currency, lang)
        )
    second = hits[1]
    return phrases["many"].format(
        count=len(hits),
        title=first.title,
        price=price_text(first.price, first.currency, lang),
        second=second.title,
        second_price=price_text(second.price, second.currency, lang),
    )
