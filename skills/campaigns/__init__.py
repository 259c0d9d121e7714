"""The shop's marketing rules: what the assistant says or does, and when.

`rules` reads and validates the rules file; `arrival` is what a caller tells us
about how the shopper came; `facts` turns a session into the values conditions
test; `weather` is where forecasts come from; `engine` fires the rules.
"""
