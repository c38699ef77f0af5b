"""The command-line tools' side of the package: the project read from mkdocs.yml, the
importer, the export for other engines, annotations, term suggestions, the link check."""
