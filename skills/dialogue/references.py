"""Which product the shopper means: "it", "the second one", "the red one", "the one
from Trailmark", "the cheapest one", a name among those offered or in the cart. When
several fit, the shopper is asked which, and the turn resumes with the answer."""

from __future__ import annotations

from rapidfuzz import fuzz

from catalog.lookup import ProductInfo
from catalog.morphology import Form
from catalog.search import STOPWORDS, Hit
from catalog.text import fold
from skills.dialogue import cart
from skills.dialogue.context import TurnContext
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.state import DialogueState
from skills.nlu.matcher import Parse
from skills.reply import Reply

NAME_MATCH = 70  # rapidfuzz token-set score for a name said to pick a product offered
SELECTORS = ("cheapest", "dearest", "best_rated")  # cues that pick one of those offered


def at(ids: list[str], position: int) -> str | None:
    """The id at a 1-based position; negative positions count from the end."""
    index = position - 1 if position > 0 else len(ids) + position
    return ids[index] if 0 <= index < len(ids) else None


def product_dict(hit: Hit) -> dict:
    return {"id": hit.id, "title": hit.title, "price": hit.price}


def info_dict(product: ProductInfo, lang: str) -> dict:
    return {"id": product.id, "title": product.title(lang), "price": product.price}


DIRECT_SEARCH_SCORE = 0.75  # a product named this well is what the shopper means
FOUND_SCORE = 0.5  # below it a search only guesses at what the words name


def sole_product_named(ctx: TurnContext, parse: Parse) -> ProductInfo | None:
    """The one product of the catalogue the turn's words name plainly ("how much is the
    tote bag" in a shop with one tote bag); None when several or none do."""
    if not parse.slots.get("product"):
        return None
    words = " ".join(str(parse.slots[k]) for k in ("brand", "product") if parse.slots.get(k))
    hits = ctx.search.search(words, limit=2, lang=ctx.lang)
    strong = [h for h in hits if h.score >= DIRECT_SEARCH_SCORE]
    return ctx.product(strong[0].id) if len(strong) == 1 else None


def finds_products(ctx: TurnContext, words: str) -> bool:
    """Whether a search for the words finds anything ("pull mérinos" in an English shop
    finds its Merino Crew Sweater); a weak guess ("trolley" → milk) is not a find."""
    hits = ctx.search.search(words, limit=1, lang=ctx.lang)
    return bool(hits) and hits[0].score >= FOUND_SCORE


def _found_among(ctx: TurnContext, words: str, pool: list[str]) -> ProductInfo | None:
    """The product on the table a search for the words finds, for titles in another
    language than the shopper's ("le pull" about the Merino Crew Sweater)."""
    found = {hit.id for hit in ctx.search.search(words, limit=10, lang=ctx.lang)}
    return next((ctx.product(i) for i in pool if i in found), None)


def names_a_product(ctx: TurnContext, words: str) -> bool:
    """Whether any of the words is one the catalogue uses ("trolley" is not); a
    little word ("là", "the") names nothing, whatever the titles say."""
    known = ctx.search.known_words()
    return any(fold(w) in known and not _little(w) for w in words.split())


def _little(word: str) -> bool:
    """A word too small to name a product: a stopword as said, or one once its accent
    goes ("là" is "la"; "thé" is not "the")."""
    folded = fold(word)
    return word.lower() in STOPWORDS or (len(folded) <= 2 and folded in STOPWORDS)


def product_meant(
    ctx: TurnContext, state: DialogueState, parse: Parse, cart_first: bool = False
) -> ProductInfo | None:
    """The product the shopper means: by position, by name, colour, brand or price
    among those offered, by name in the cart, else the one being talked about."""
    slots = parse.slots
    if slots.get("ordinal") and state.proposed and not cart_first:
        return ctx.product(at(state.proposed, slots["ordinal"]))
    named = slots.get("product")
    if named:
        pool = [line.product_id for line in state.cart] if cart_first else []
        pool += state.proposed + ([state.focus] if state.focus else [])
        best = _best_named(ctx, named, dict.fromkeys(pool)) or _found_among(ctx, named, pool)
        if best:
            return best
        if not cart_first and (names_a_product(ctx, named) or finds_products(ctx, named)):
            return None  # another product: the caller searches the catalogue for it
    if cart_first and slots.get("ordinal") and state.cart:
        line = cart.find_line(state, None, slots["ordinal"])
        return ctx.product(line.product_id) if line else None
    picked = picked_among(ctx, state.proposed, slots)
    if picked:
        return picked
    current = state.focus or (state.proposed[0] if len(state.proposed) == 1 else None)
    product = ctx.product(current) if current else None
    if product and slots.get("brand") and product.brand.lower() != str(slots["brand"]).lower():
        return None  # "the one from Trailmark" is not the Cotonia being talked about
    return product


def ask_which(ctx: TurnContext, state: DialogueState, parse: Parse) -> Reply:
    """Several products are on the table and the turn does not say which: ask, and
    keep the turn to finish it with the answer."""
    offered = [p for p in (ctx.product(i) for i in state.proposed) if p]
    if len(offered) < 2:
        return ctx.say("which_product")
    labels = [p.title(ctx.lang) for p in offered]
    state.pending = Pending(
        QuestionKind.WHICH_PRODUCT,
        attribute="product",
        options=[p.id for p in offered],
        labels=labels,
        data={"parse": parse.to_dict()},
    )
    grammar = ctx.phrases.grammar
    forms = {grammar.form(label) for label in labels}
    # "laquelle" for three jackets; one pair of sandals among three: singular
    form = Form(forms.pop().feminine) if len(forms) == 1 else Form()
    said = [
        ctx.phrases.render(
            ctx.phrases.fragment("ordinal_choice"),
            {"ordinal": grammar.adjective(ctx.phrases.ordinal(n).lower(), form), "form": form},
            sentence=False,
        )
        for n in range(1, len(labels) + 1)
    ]
    return ctx.say("which_of", options=ctx.phrases.join(said, "or"), form=form)


def pick_answer(ctx: TurnContext, pending: Pending, parse: Parse) -> ProductInfo | None:
    """The product an answer to "which one?" picks among the options."""
    slots = parse.slots
    if slots.get("ordinal"):
        return ctx.product(at(pending.options, slots["ordinal"]))
    if slots.get("product"):
        best = _best_named(ctx, slots["product"], pending.options)
        if best:
            return best
    return picked_among(ctx, pending.options, slots)


def _best_named(ctx: TurnContext, named: str, pool) -> ProductInfo | None:
    best: tuple[float, ProductInfo] | None = None
    for product_id in pool:
        product = ctx.product(product_id)
        if product is None:
            continue
        score = fuzz.token_set_ratio(named, product.title(ctx.lang).lower())
        if score >= NAME_MATCH and (best is None or score > best[0]):
            best = (score, product)
    return best[1] if best else None


def picked_among(ctx: TurnContext, ids: list[str], slots: dict) -> ProductInfo | None:
    """ "the red one", "the one from Trailmark", "the cheapest one": the one product
    offered that fits."""
    cues = [c for c in slots.get("cues", []) if c in SELECTORS]
    colour, brand = slots.get("colour"), slots.get("brand")
    if len(ids) < 2 or not (cues or colour or brand):
        return None
    offered = [p for p in (ctx.product(i) for i in ids) if p]
    if colour:
        offered = [p for p in offered if p.matching(colour=colour)]
    if brand:
        offered = [p for p in offered if p.brand.lower() == str(brand).lower()]
    if cues and offered:
        key = {
            "cheapest": lambda p: p.price,
            "dearest": lambda p: -p.price,
            "best_rated": lambda p: -(p.rating or 0),
        }[cues[0]]
        offered = [min(offered, key=key)]
    return offered[0] if len(offered) == 1 else None
