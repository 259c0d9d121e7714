"""The shopping dialogue: journeys over a session's state, replies in each language."""
