"""Deck files: the Markdown format, the checker, and syncing deck files into the collection."""
