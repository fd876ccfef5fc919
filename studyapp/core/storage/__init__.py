"""The collection on disk: data-folder paths, SQLite connection and schema, the one module that
writes items and decks, the instance lock, backups.
"""
