"""Landlock through its three system calls (ctypes): a process restricts its own file and TCP use.

Why by hand: the calls are three and stable (Linux 5.13+); the PyPI bindings are pre-releases.
A ruleset lists what is *handled* (denied unless a rule allows it); rules allow access beneath a
directory (or to one file); ``restrict_self`` applies it to this process and every child, for
ever. The ABI number says which rights exist: 1 files, 2 rename across folders (REFER),
3 truncate, 4 TCP bind/connect, 5 device ioctl, 6 signal and abstract-socket scoping.
"""

from __future__ import annotations

import ctypes
import os
import platform
import stat
from pathlib import Path

__all__ = ["LandlockError", "Ruleset", "abi_version", "libc"]

_SYS_CREATE_RULESET = 444
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_RULE_NET_PORT = 2
_PR_SET_NO_NEW_PRIVS = 38

# Filesystem rights (bit, first ABI that has it).
EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3
IOCTL_DEV = 1 << 15  # ABI 5
#: Rights that make sense on a regular file (the kernel refuses others in a file rule).
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
READ = READ_FILE | READ_DIR | EXECUTE
# TCP rights (ABI 4) and scopes (ABI 6).
BIND_TCP = 1 << 0
CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
SCOPE_SIGNAL = 1 << 1


class LandlockError(OSError):
    """A Landlock call failed (the message names which)."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_LIBC: ctypes.CDLL | None = None


def libc() -> ctypes.CDLL:
    """The C library, loaded once, with errno kept (the sandbox's syscalls go through it)."""
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
        _LIBC.syscall.restype = ctypes.c_long
    return _LIBC


def abi_version() -> int:
    """The kernel's Landlock ABI (0: none — not Linux, an old kernel, or Landlock disabled)."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "aarch64"):
        return 0  # the syscall numbers above are those of the common (asm-generic) table
    try:
        abi = libc().syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    except (OSError, AttributeError):
        return 0
    return max(0, int(abi))


def fs_rights(abi: int) -> int:
    """Every filesystem right the given ABI knows (all of them are handled = denied by default)."""
    rights = (MAKE_SYM << 1) - 1
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


class Ruleset:
    """A ruleset under construction; ``restrict_self()`` applies it to the calling process."""

    def __init__(self, abi: int, *, deny_tcp: bool, scope: bool) -> None:
        self.abi = abi
        self.handled_fs = fs_rights(abi)
        attr = _RulesetAttr(self.handled_fs, 0, 0)
        size = ctypes.sizeof(ctypes.c_uint64)
        if deny_tcp and abi >= 4:
            attr.handled_access_net = BIND_TCP | CONNECT_TCP  # no port rule: every port denied
            size = 2 * ctypes.sizeof(ctypes.c_uint64)
        if scope and abi >= 6:
            attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
            size = 3 * ctypes.sizeof(ctypes.c_uint64)
        self.denies_tcp = bool(attr.handled_access_net)
        self.scoped = bool(attr.scoped)
        fd = libc().syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
        if fd < 0:
            raise _error("landlock_create_ruleset")
        self.fd = int(fd)

    def allow(self, path: Path | str, rights: int) -> bool:
        """Allow ``rights`` beneath ``path`` (a file gets only file rights); False if missing."""
        try:
            target = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            is_dir = stat.S_ISDIR(os.fstat(target).st_mode)
            allowed = rights & self.handled_fs
            if not is_dir:
                allowed &= FILE_RIGHTS
            rule = _PathBeneathAttr(allowed, target)
            if libc().syscall(_SYS_ADD_RULE, self.fd, _RULE_PATH_BENEATH, ctypes.byref(rule), 0):
                raise _error(f"landlock_add_rule({path})")
        finally:
            os.close(target)
        return True

    def restrict_self(self) -> None:
        """Apply the ruleset to this process (and, inherited, to all it starts); closes it."""
        c = libc()
        try:
            if c.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0):
                raise _error("prctl(PR_SET_NO_NEW_PRIVS)")
            if c.syscall(_SYS_RESTRICT_SELF, self.fd, 0):
                raise _error("landlock_restrict_self")
        finally:
            os.close(self.fd)


def _error(call: str) -> LandlockError:
    err = ctypes.get_errno()
    return LandlockError(err, f"{call} failed: {os.strerror(err)}")
