"""Errors the core raises for conditions a user must be told about, each with a clear message.

One hierarchy: a caller tells what happened by type, never by matching a message. ``Cancelled``
is how every long job (import, evaluation, optimisation) says the user stopped it; such jobs
take the ``Cancel`` and ``Progress`` callables below.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = [
    "AlreadyRunningError",
    "Cancel",
    "Cancelled",
    "CollectionError",
    "CorruptCollectionError",
    "DataFolderError",
    "NewerCollectionError",
    "Progress",
    "StaleAnswerError",
]


#: Polled by a long job; True means stop now (the job raises a :class:`Cancelled`).
Cancel = Callable[[], bool]
#: Called by a long job with (done, total).
Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The user stopped a long job; nothing was changed."""


class CollectionError(Exception):
    """Base class: the message is written for the user, not for a developer."""


class AlreadyRunningError(CollectionError):
    """Another StudyApp process holds this data folder."""


class DataFolderError(CollectionError):
    """The data folder cannot be used: not a folder, an empty name, or not writable."""


class NewerCollectionError(CollectionError):
    """The file was written by a newer StudyApp; opening it could damage it."""


class CorruptCollectionError(CollectionError):
    """The file is not a readable StudyApp collection."""


class StaleAnswerError(CollectionError):
    """An answer was computed from a state that is no longer the stored one."""
