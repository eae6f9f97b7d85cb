"""The eligibility engine's rules (DESIGN §3.1, §3.2), each written once: one function decides a rule's
verdict from the facts and returns it with the writer of its reason (the staff's line and the family's
text), called only when the texts are read. `base` holds the wording and the household's figures,
`people` who counts and who can support whom, `property` the property limits, `categories` the rules of
each category. Pure: no Django, no database (an import-linter contract holds it)."""
