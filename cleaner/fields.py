"""The fields of a cleaned page, declared once: what rules may capture, what the record holds, in its order."""

from __future__ import annotations

#: Metadata a rule's named group may capture (`(?P<authors>...)`), in the order the metadata stage fills them.
#: `section` is a section name printed above the headline: the page's category when nothing better (a
#: breadcrumb trail, a site's rule, the page's declared section) names one.
CAPTURED_FIELDS = ("title", "outlet", "authors", "editors", "published", "dateline", "category", "section", "tags",
                   "agency", "credits")
#: Metadata fields of a page: the captured ones (but `section`, read into `category`) and the detected language.
METADATA_FIELDS = (*(f for f in CAPTURED_FIELDS if f != "section"), "language")
#: Fields that hold several values (lists of strings).
LIST_FIELDS = frozenset({"authors", "editors", "tags", "credits", "warnings"})
#: The JSONL record's fields, in the order they are written (`removed` with --explain, `error` when set, follow).
RECORD_FIELDS = ("id", "url", "site", "outlet", "title", "authors", "editors", "published", "dateline", "category",
                 "tags", "agency", "credits", "language", "text", "warnings")
