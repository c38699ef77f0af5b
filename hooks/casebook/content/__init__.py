"""Reading and checking the sources: YAML with line numbers, schemas, posts in their
dialects and within their limits, case studies, the vocabulary, checks across records."""
