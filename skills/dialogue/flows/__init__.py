"""The conversation's flows. Importing this package registers every flow's intent
and answer handlers (skills/dialogue/registry.py); a flow never imports another."""

from skills.dialogue.flows import (  # noqa: F401  (registration)
    adviser,
    after_sales,
    cart,
    discovery,
    privacy,
    product_questions,
    promotions,
    qualification,
    small_talk,
)
