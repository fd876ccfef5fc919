"""Card text to safe HTML: Markdown, code highlighting, formulas, plain text for lists."""
