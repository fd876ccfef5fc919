"""The Decks page and card browser."""
