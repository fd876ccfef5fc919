"""Errors the core raises for conditions a user must be told about, each with a clear message."""

from __future__ import annotations

__all__ = [
    "AlreadyRunningError",
    "CollectionError",
    "CorruptCollectionError",
    "DataFolderError",
    "NewerCollectionError",
    "StaleAnswerError",
]


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
