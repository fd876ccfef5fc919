"""Sync through a folder that a file-sync engine (Syncthing, Dropbox, Nextcloud, git) shares.

Each device appends events to its own files under ``<sync folder>/devices/<device id>/``
(``segments``), reads every device's files, and replays all events into the state every device
agrees on (``replay``). Events are stamped by a hybrid logical clock (``hlc``), so clock skew
between machines cannot reorder one device's own events. ``SyncSession`` runs one round
(send, read, replay) for the collection. Nothing here touches SQLite or Qt.
"""

from __future__ import annotations

from studyapp.core.sync.events import (
    CardEdited,
    DeckEnabled,
    DrillAttempted,
    Event,
    EventFormatError,
    EventId,
    ItemDeleted,
    ItemSuspended,
    Review,
    ReviewUndone,
    Schedule,
    SettingChanged,
    item_ref,
    split_item_ref,
)
from studyapp.core.sync.eventset import EventSet
from studyapp.core.sync.hlc import HybridClock, Stamp
from studyapp.core.sync.replay import REVIEW_LOG_COLUMNS, ItemState, ReplayResult, replay
from studyapp.core.sync.segments import (
    DeviceLog,
    FolderRead,
    FolderReader,
    Problem,
    device_dir,
    new_device_id,
    read_folder,
)
from studyapp.core.sync.session import DeviceIdClashError, SyncOutcome, SyncSession

__all__ = [
    "REVIEW_LOG_COLUMNS",
    "CardEdited",
    "DeckEnabled",
    "DeviceIdClashError",
    "DeviceLog",
    "DrillAttempted",
    "Event",
    "EventFormatError",
    "EventId",
    "EventSet",
    "FolderRead",
    "FolderReader",
    "HybridClock",
    "ItemDeleted",
    "ItemState",
    "ItemSuspended",
    "Problem",
    "ReplayResult",
    "Review",
    "ReviewUndone",
    "Schedule",
    "SettingChanged",
    "Stamp",
    "SyncOutcome",
    "SyncSession",
    "device_dir",
    "item_ref",
    "new_device_id",
    "read_folder",
    "replay",
    "split_item_ref",
]
