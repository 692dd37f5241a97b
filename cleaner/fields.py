"""The fields of a cleaned page, declared once: what rules may capture, what the record holds, in its order."""

from __future__ import annotations

#: Metadata a rule's named group may capture (`(?P<authors>...)`), in the order the metadata stage fills them.
CAPTURED_FIELDS = ("title", "outlet", "authors", "editors", "published", "dateline", "category", "tags", "agency",
                   "credits")
#: Metadata fields of a page: the captured ones and the detected language.
METADATA_FIELDS = (*CAPTURED_FIELDS, "language")
#: Fields that hold several values (lists of strings).
LIST_FIELDS = frozenset({"authors", "editors", "tags", "credits", "warnings"})
#: The JSONL record's fields, in the order they are written (`removed` with --explain, `error` when set, follow).
RECORD_FIELDS = ("id", "url", "site", "outlet", "title", "authors", "editors", "published", "dateline", "category",
                 "tags", "agency", "credits", "language", "text", "warnings")
