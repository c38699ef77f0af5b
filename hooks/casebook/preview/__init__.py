"""The `mkdocs serve` session: sources and templates kept between builds, the store of
generated files, and the plan that lets a dirty build rebuild only what an edit changed."""
