"""The site's outputs made from the archive: pages, entry metadata, citations, feeds,
exports, the manifest, and the one list of what a build writes (outputs.py)."""
