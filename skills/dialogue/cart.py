"""Cart changes on a session's state; each returns what to say."""

from __future__ import annotations

from collections.abc import Callable

from catalog.lookup import ProductInfo, VariantInfo
from skills.dialogue.phrases import Phrases
from skills.dialogue.questions import Pending, QuestionKind
from skills.dialogue.state import CartLine, DialogueState


def variant_label(variant: VariantInfo | None, phrases: Phrases) -> str:
    """ "blue, size 5", "bleu, taille 5", "size M", "red": said after "in" / "en"."""
    if variant is None:
        return ""
    return phrases.variant(variant.colour, variant.size)


def add(
    state: DialogueState,
    product: ProductInfo,
    quantity: int,
    variant: VariantInfo | None,
    phrases: Phrases,
) -> str:
    sku = variant.sku if variant else None
    line = next(
        (x for x in state.cart if x.product_id == product.id and x.sku == sku),
        None,
    )
    if line:
        line.quantity += quantity
    else:
        line = CartLine(
            product_id=product.id,
            title=product.title(phrases.lang),
            price=variant.price if variant else product.price,
            currency=product.currency,
            quantity=quantity,
            sku=sku,
            variant=variant_label(variant, phrases),
        )
        state.cart.append(line)
    state.last_line = product.id
    state.focus = product.id
    total = phrases.price(state.cart_total(), product.currency)
    if line.variant:
        return phrases.say(
            "added_variant",
            quantity=quantity,
            title=phrases.counted(line.title, quantity),
            variant=line.variant,
            total=total,
        )
    return phrases.say(
        "added", quantity=quantity, title=phrases.counted(line.title, quantity), total=total
    )


def find_line(
    state: DialogueState, product_id: str | None, position: int | None
) -> CartLine | None:
    if position is not None and state.cart:
        index = position - 1 if position > 0 else len(state.cart) + position
        return state.cart[index] if 0 <= index < len(state.cart) else None
    if product_id:
        return next((x for x in state.cart if x.product_id == product_id), None)
    return None


def remove(state: DialogueState, line: CartLine, phrases: Phrases) -> str:
    state.cart.remove(line)
    total = phrases.price(state.cart_total(), line.currency)
    return phrases.say("removed", title=line.title, total=total)


def set_quantity(state: DialogueState, line: CartLine, quantity: int, phrases: Phrases) -> str:
    if quantity <= 0:
        return remove(state, line, phrases)
    line.quantity = quantity
    state.last_line = line.product_id
    total = phrases.price(state.cart_total(), line.currency)
    title = phrases.counted(line.title, quantity)
    return phrases.say("quantity_changed", quantity=quantity, title=title, total=total)


def change_variant(
    state: DialogueState, line: CartLine, variant: VariantInfo, phrases: Phrases
) -> str:
    """The line's product in another variant ("make it 43"), the quantity kept; a
    line already holding that variant takes them in."""
    same = next((x for x in state.cart if x is not line and x.sku == variant.sku), None)
    if same:
        same.quantity += line.quantity
        state.cart.remove(line)
        line = same
    line.sku, line.price = variant.sku, variant.price
    line.variant = variant_label(variant, phrases)
    state.last_line = state.focus = line.product_id
    total = phrases.price(state.cart_total(), line.currency)
    title = phrases.counted(line.title, line.quantity)
    return phrases.say("variant_changed", title=title, variant=line.variant, total=total)


def read(state: DialogueState, phrases: Phrases) -> str:
    if not state.cart:
        return phrases.say("cart_empty")
    total = phrases.price(state.cart_total(), state.cart[0].currency)
    return phrases.say("cart", items=items_text(state.cart, phrases), total=total)


def items_text(lines: list[CartLine], phrases: Phrases) -> str:
    """The lines as said: "2 Winter Boots in black, size 42 and a Scarf"."""
    return phrases.join(
        [
            phrases.part(
                "cart_item_variant" if x.variant else "cart_item",
                quantity=x.quantity,
                title=phrases.counted(x.title, x.quantity),
                variant=x.variant,
            )
            for x in lines
        ]
    )


Lookup = Callable[[str], ProductInfo | None]


def _saved(state: DialogueState, phrases: Phrases, product: Lookup) -> list[CartLine]:
    """The saved cart's lines, titled and labelled in today's language (it may have been
    filled in another)."""
    saved = [CartLine(**line) for line in state.context.get("saved_cart", [])]
    for line in saved:
        info = product(line.product_id)
        if info:
            line.title = info.title(phrases.lang)
            variant = next((v for v in info.variants if v.sku == line.sku), None)
            if variant:
                line.variant = variant_label(variant, phrases)
    return saved


def offer_saved(state: DialogueState, phrases: Phrases, product: Lookup) -> str:
    """A returning customer's cart from an earlier session, offered back."""
    saved = _saved(state, phrases, product)
    state.pending = state.pending or Pending(QuestionKind.RESTORE_CART)
    return phrases.say("offer_saved_cart", items=items_text(saved, phrases))


def restore_saved(state: DialogueState, phrases: Phrases, product: Lookup) -> str:
    """Puts the saved cart back, on top of anything added since."""
    for saved in _saved(state, phrases, product):
        line = next(
            (x for x in state.cart if (x.product_id, x.sku) == (saved.product_id, saved.sku)),
            None,
        )
        if line is None:
            state.cart.append(saved)
        else:
            line.quantity = max(line.quantity, saved.quantity)
    state.context.pop("saved_cart", None)
    return phrases.say("saved_cart_restored") + " " + read(state, phrases)
