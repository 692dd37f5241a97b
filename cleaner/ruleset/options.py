"""A key a rule file may set beside its patterns: what a rule option and a `structure:` option both are."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    """A key's JSON type, default and what it does; an integer is at least `minimum`."""

    name: str
    type: str  # "boolean", "integer", "string" or "pattern" (a regex, or a list of them)
    default: object
    doc: str
    minimum: int = 0

    def markdown_row(self) -> str:
        """The option as a row of the docs' `| key | type | default | what it does |` tables."""
        default = "-" if self.default is None else f"`{str(self.default).lower()}`"
        kind = "regex or list" if self.type == "pattern" else self.type
        return f"| `{self.name}` | {kind} | {default} | {self.doc} |"
