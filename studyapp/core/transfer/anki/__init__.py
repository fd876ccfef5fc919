"""Anki .apkg/.colpkg: the package reader/writer, Anki HTML and templates."""
