"""Work-arounds for defects of particular Qt for Python releases, applied once at start-up.

PySide6 6.12.0 returns ``None`` from void methods (``setFormat``, ``update``, ``setX`` ...)
without counting the reference. On Python 3.12+ ``None`` is immortal and nothing happens; on
3.11 every call takes one count off ``None`` and the process aborts ("none_dealloc") once it
reaches zero — a syntax highlighter makes thousands of such calls per screen. pyproject.toml
excludes that release on Python 3.11; this guard covers an environment that has it anyway
(measured, not assumed: it does nothing where the leak is absent).
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QPointF

__all__ = ["guard_none_refcount"]

_done = False


def guard_none_refcount() -> bool:
    """Give ``None`` a practically endless count where the leak is measured; True if applied."""
    global _done
    if _done:
        return False
    _done = True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    probe = QPointF()
    before = sys.getrefcount(None)
    for _ in range(32):
        probe.setX(0.0)
    if before - sys.getrefcount(None) < 16:
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 50
    return True
