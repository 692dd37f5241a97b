"""HTML pages: read safely (`parse`), what they declare (`declared`: meta tags, JSON-LD, script data), the
article's body (`body`: trafilatura and what it misses), the headline (`title`), and the stage that puts them
together (`extract.extract_html`). The layer of the stages: it uses the strip stage's prose predicates."""
