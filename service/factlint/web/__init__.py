"""The web side of factlint: the page that checks a draft in the browser and the report of the
corpus's own contradictions (pages.py: the blueprint; render.py: the HTML; templates/ and static/
ship inside the package)."""
