"""The floor of shared text knowledge every stage reads: what reads like prose, a sentence, a headline or a label
in any script (`prose`), person names as bylines print them (`names`), and the characters normalising removes
or replaces (`characters`). It imports nothing of the stages."""
