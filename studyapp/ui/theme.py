"""Light or dark: one answer for every view, so cards, charts and the editor match the window."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette

__all__ = ["is_dark"]


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette the widgets use is dark, so cards match the window around them.

    Without ``palette``, the application's window colour decides: Qt updates it when the system
    colour scheme changes, and a palette set by a desktop theme or by the user counts too. With a
    widget's own ``palette`` (a text area such as the code editor), its base colour decides.
    """
    if palette is None:
        return QGuiApplication.palette().window().color().lightness() < 128
    return palette.base().color().lightness() < 128
