"""The rule author's tools: `explain` (a page's removals, on the terminal or as an HTML report) and `authoring`
(`cleaner rules check|test|list`)."""
