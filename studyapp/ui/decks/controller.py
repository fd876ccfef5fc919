"""Wires the Decks page to the collection: the deck list, search, card preview, deck on/off.

The page's reads and writes run on the context's "db" lane; the view only paints the results.
Switching a deck changes what Review offers, so the controller says so (``decks_changed``) and
the window refreshes the pages that show it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from studyapp.core.decks.sync import SyncReport
from studyapp.core.rendering.render import theme_for
from studyapp.ui.context import AppContext
from studyapp.ui.decks.view import DecksView

__all__ = ["DecksController"]


class DecksController(QObject):
    """The Decks page's behaviour; the view stays a view."""

    #: A deck was switched on or off (on the GUI thread, once written).
    decks_changed = Signal()

    def __init__(self, view: DecksView, context: AppContext) -> None:
        super().__init__(view)
        self.view, self.context = view, context
        view.deck_toggled.connect(self.toggle)
        view.search_requested.connect(self.search)
        view.card_selected.connect(self.show_card)

    def refresh(self, last_sync: SyncReport | None) -> None:
        """List the decks (with the last sync's problems) and repeat the current search."""
        session = self.context.session
        if session is None:
            return
        problems = [str(p) for p in last_sync.problems] if last_sync else []
        language = self.context.language()
        self.context.db.submit(
            lambda: session.collection.decks(),
            lambda decks: self.view.show_decks(decks, problems, language),
        )
        self.view.request_search()

    def toggle(self, key: str, enabled: bool) -> None:
        """Switch a deck on or off for study."""
        session = self.context.session
        if session is None:
            return
        self.context.db.submit(
            lambda: session.collection.set_deck_enabled(key, enabled),
            lambda _: self.decks_changed.emit(),
        )

    def search(self, query: str, deck_key: str) -> None:
        """The card browser: cards matching ``query`` (in one deck, or all)."""
        session = self.context.session
        if session is None:
            return
        col = session.collection
        self.context.db.submit(
            lambda: (col.browse(query, deck_key=deck_key or None), col.today()),
            lambda result: self.view.show_cards(*result),
        )

    def show_card(self, item_id: int) -> None:
        """The chosen card, rendered in the card language, with its review history."""
        session = self.context.session
        if session is None:
            return
        col, renderer = session.collection, session.renderer
        theme, language = theme_for(self.context.dark()), self.context.language()

        def load() -> tuple[str, list]:
            card = col.card(item_id)
            front, back = card.text(language)
            return renderer.card_document(front, back, theme), list(col.history(item_id))

        self.context.db.submit(load, lambda result: self.view.show_card(*result))
