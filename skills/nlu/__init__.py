"""Understanding what a shopper said: intent, slots and a confidence, in each language."""
