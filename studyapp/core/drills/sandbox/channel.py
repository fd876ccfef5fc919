"""The narrow call channel between the trusted judge and the learner's process.

Why: the tests and the judge must run where the learner's code cannot reach them (a learner's module
could otherwise no-op the assertions, patch numpy, or forge the report). The learner's module lives
in its own confined process; the judge reaches it only through this channel: "call function or
method NAME of object H with these arguments" and gets back a value, a handle, or an exception
description. Values cross as data (:mod:`studyapp.core.drills.sandbox.wire`, never pickle); anything
else stays in the learner's process and comes back as a handle, used through :class:`Remote`.

Two halves: :class:`LearnerServer` runs in the learner's process (untrusted side) and
:class:`Channel` / :class:`Remote` in the judge. Values the judge compares are always decoded into
its own objects first: ``Remote.__eq__``/``__bool__`` fetch the value instead of asking the
learner's process what it thinks.
"""

from __future__ import annotations

import contextlib
import importlib
import operator
import select
import socket
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, Literal

from studyapp.core.drills.sandbox.wire import (
    Handle,
    NotData,
    WireError,
    decode,
    encode,
    recv_frame,
    send_frame,
)

__all__ = [
    "Channel",
    "ChannelBroken",
    "LearnerAbort",
    "LearnerServer",
    "Remote",
    "RemoteError",
]

#: Operators a handle supports, by the ``operator`` module's names.
_BINARY = {
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
    "and_", "or_", "xor", "lshift", "rshift",
}  # fmt: skip
_UNARY = {"neg", "pos", "abs", "invert"}
_CAPTURE_CHARS = 4000
_TEXT_CAP = 4000

#: Exceptions the judge may see under their own type (so ``except ValueError`` works in tests).
_BUILTIN_EXCEPTIONS = {
    cls.__name__: cls
    for cls in (
        ValueError, TypeError, IndexError, KeyError, LookupError, ZeroDivisionError,
        ArithmeticError, OverflowError, FloatingPointError, AttributeError, RuntimeError,
        NotImplementedError, RecursionError, MemoryError, AssertionError, NameError,
        UnboundLocalError,
    )
}  # fmt: skip


# ---------------------------------------------------------------------- learner side
class CapturedStdout:
    """The learner's ``sys.stdout``: writes go to the real stream and into the current call's
    capture, which travels back with the reply (for the "printed instead of returned" hint)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.captured: list[str] = []
        self.size = 0
        self.closed = False

    def write(self, text: str) -> int:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        written = self.stream.write(text)
        if self.size < _CAPTURE_CHARS:
            self.captured.append(text)
            self.size += len(text)
        return written

    def take(self) -> str:
        text = "".join(self.captured)[-_CAPTURE_CHARS:]
        self.captured, self.size = [], 0
        return text

    def flush(self) -> None:
        if not self.closed:
            self.stream.flush()

    def close(self) -> None:
        self.closed = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class LearnerServer:
    """Serves the judge's requests inside the learner's process (untrusted side)."""

    def __init__(self, sock: socket.socket, stdout: CapturedStdout | None = None) -> None:
        self.sock = sock
        self.stdout = stdout
        self.objects: dict[int, Any] = {}
        self.next_id = 1
        self.ops: dict[str, Callable[[dict[str, Any]], Any]] = {}

    def keep(self, obj: Any) -> Handle:
        ident = self.next_id
        self.next_id += 1
        self.objects[ident] = obj
        kind = type(obj)
        return Handle(ident, f"{kind.__module__}.{kind.__qualname__}")

    def send(self, message: dict[str, Any]) -> None:
        send_frame(self.sock, encode(message, self.keep, handle_grad=True))

    def serve(self) -> None:
        """Answer requests until the judge closes the channel."""
        while True:
            try:
                request = decode(recv_frame(self.sock))
            except (EOFError, OSError):
                return
            self.sock.sendall(self.answer(request))

    def answer(self, request: dict[str, Any]) -> bytes:
        """One reply frame (length + payload) for one request."""
        for ident in request.get("rel", ()):
            self.objects.pop(ident, None)
        keep: Callable[[Any], Handle] | None = self.keep
        try:
            result = self._dispatch(request)
            if isinstance(result, _Value):
                result, keep = result.obj, None
            reply: dict[str, Any] = {"ok": result}
        except BaseException as exc:  # everything the code raises goes back as a description
            reply, keep = {"err": describe_exception(exc)}, None
        if self.stdout is not None:
            with contextlib.suppress(BaseException):
                self.stdout.flush()
            reply["out"] = self.stdout.take()
        try:
            payload = encode(reply, keep, handle_grad=True)
        except BaseException as exc:
            base = "TypeError" if isinstance(exc, NotData) else "ValueError"
            error = {"type": base, "base": base}
            error["msg"] = f"the value could not be sent to the judge: {exc}"[:_TEXT_CAP]
            payload = encode({"err": error, "out": reply.get("out", "")})
        return len(payload).to_bytes(4, "little") + payload

    def _dispatch(self, request: dict[str, Any]) -> Any:
        op = request["op"]
        if op in self.ops:
            return self.ops[op](request)
        target = self.objects[request["h"]] if "h" in request else None
        args = [self._resolve(a) for a in request.get("a", ())]
        kwargs = {k: self._resolve(v) for k, v in request.get("k", {}).items()}
        grad = request.get("grad")
        torch = sys.modules.get("torch")
        if grad is not None and torch is not None and torch.is_grad_enabled() != grad:
            with torch.set_grad_enabled(grad):
                return self._do(op, target, request, args, kwargs)
        return self._do(op, target, request, args, kwargs)

    def _do(
        self, op: str, target: Any, request: dict[str, Any], args: list[Any], kwargs: dict
    ) -> Any:
        name = request.get("n", "")
        if op == "call":
            return target(*args, **kwargs)
        if op == "callmethod":
            return getattr(target, name)(*args, **kwargs)
        if op == "getattr":
            return getattr(target, name)
        if op == "setattr":
            setattr(target, name, args[0])
            return None
        if op == "getitem":
            return target[args[0]]
        if op == "setitem":
            target[args[0]] = args[1]
            return None
        if op == "delitem":
            del target[args[0]]
            return None
        if op == "len":
            return len(target)
        if op == "contains":
            return args[0] in target
        if op == "bool":
            return bool(target)
        if op == "iter":
            return self.keep(iter(target))
        if op == "next":
            return self._next(target, int(request.get("count", 64)))
        if op == "binop" and name in _BINARY:
            a, b = (args[0], target) if request.get("rev") else (target, args[0])
            return getattr(operator, name)(a, b)
        if op == "unop" and name in _UNARY:
            return getattr(operator, name)(target)
        if op == "value":
            return _Value(target)
        if op == "repr":
            return repr(target)[:_TEXT_CAP]
        if op == "type":
            return [f"{c.__module__}.{c.__qualname__}" for c in type(target).__mro__]
        if op == "import":
            return importlib.import_module(name)
        if op == "keep":
            return self.keep(args[0])
        if op == "same":
            return args[0] is args[1]
        if op == "define":
            return self.keep(_define(str(args[0])))
        if op == "many":
            return [getattr(target, n)(*a) for n, a in args[0]]
        raise ValueError(f"unknown channel operation {op!r}")

    def _next(self, iterator: Any, count: int) -> dict[str, Any]:
        items = []
        for _ in range(max(1, min(count, 4096))):
            try:
                items.append(next(iterator))
            except StopIteration:
                return {"items": items, "done": True}
        return {"items": items, "done": False}

    def _resolve(self, value: Any) -> Any:
        if type(value) is Handle:
            return self.objects[value.id]
        if type(value) in (list, tuple):
            return type(value)(self._resolve(v) for v in value)
        if type(value) is dict:
            return {k: self._resolve(v) for k, v in value.items()}
        return value


def _define(source: str) -> Any:
    """A module made from a test's helper source (classes or functions the learner's code is
    handed: a linked-list node, a toy model), executed here in the learner's process."""
    import types

    module = types.ModuleType("exercise_helpers")
    module.__file__ = "exercise_helpers.py"
    exec(compile(source, "exercise_helpers.py", "exec"), module.__dict__)
    return module


class _Value:
    """Marks a reply that must cross entirely as data (``Remote.value()``)."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj


def describe_exception(exc: BaseException) -> dict[str, Any]:
    """What the judge needs to explain an exception (learner side; all of it is just text)."""
    from studyapp.core.drills.sandbox.harness import SOLUTION_FILENAME, user_traceback

    base = next((c.__name__ for c in type(exc).__mro__ if c.__name__ in _BUILTIN_EXCEPTIONS), "")
    info: dict[str, Any] = {"type": type(exc).__name__[:100], "base": base}
    with contextlib.suppress(BaseException):
        info["msg"] = str(exc)[:_TEXT_CAP]
    with contextlib.suppress(BaseException):
        info["tb"] = user_traceback(exc)[-_TEXT_CAP:]
    if isinstance(exc, SyntaxError):
        info["line"] = exc.lineno
        info["msg"] = str(exc.msg)[:_TEXT_CAP]
    elif isinstance(exc, SystemExit):
        info["code"] = repr(exc.code)[:100]
    else:
        with contextlib.suppress(BaseException):
            import traceback

            frames = traceback.extract_tb(exc.__traceback__)
            lines = [f.lineno for f in frames if f.filename == SOLUTION_FILENAME]
            info["line"] = lines[-1] if lines else None
    return info


# ---------------------------------------------------------------------- judge side
class ChannelBroken(BaseException):
    """The learner's process died or sent something that is not a valid reply."""


class LearnerAbort(BaseException):
    """The learner's code raised SystemExit or KeyboardInterrupt: the whole run stops."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RemoteError(Exception):
    """An exception raised by the learner's code, as described by its process."""

    type_name = "Exception"
    remote_traceback = ""
    line: int | None = None

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


_ERROR_CLASSES: dict[str, type[RemoteError]] = {}


def _error_class(base: str) -> type[RemoteError]:
    if base not in _ERROR_CLASSES:
        builtin = _BUILTIN_EXCEPTIONS.get(base)
        bases = (RemoteError, builtin) if builtin else (RemoteError,)
        _ERROR_CLASSES[base] = type(base or "RemoteError", bases, {"__str__": RemoteError.__str__})
    return _ERROR_CLASSES[base]


def _as_text(value: Any, default: str = "") -> str:
    return value[:_TEXT_CAP] if isinstance(value, str) else default


class Channel:
    """The judge's end: sends requests, decodes replies into plain values and :class:`Remote`."""

    def __init__(
        self,
        sock: socket.socket,
        on_wait: Callable[[], None] | None = None,
        device_ok: Callable[[str], bool] | None = None,
    ) -> None:
        self.sock = sock
        self.on_wait = on_wait
        self.device_ok = device_ok
        self.output: list[str] = []
        self.released: list[int] = []
        #: Time this process spent encoding requests and decoding replies (``Context.timed``).
        self.encode_s = 0.0
        self.decode_s = 0.0
        self.reply_encode_s = 0.0
        self.timing = False
        self.requests = 0

    # -------------------------------------------------------------- requests
    def request(self, op: str, **fields: Any) -> Any:
        """One round trip; raises RemoteError for the learner's exceptions, ChannelBroken when
        the learner's process is gone or answers with anything that is not a valid reply."""
        fields["op"] = op
        if self.released:
            fields["rel"], self.released = self.released, []
        torch = sys.modules.get("torch")
        if torch is not None:
            fields["grad"] = torch.is_grad_enabled()
        started = time.perf_counter()
        payload = encode(fields, _handle_of)
        self.encode_s += time.perf_counter() - started
        self.requests += 1
        try:
            send_frame(self.sock, payload)
            frame = self._receive()
            started = time.perf_counter()
            reply = decode(frame, self.device_ok)
            self.decode_s += time.perf_counter() - started
            if self.timing:  # what encoding this reply costs, measured here (Context.timed)
                started = time.perf_counter()
                encode(reply, _keep_handle)
                self.reply_encode_s += time.perf_counter() - started
        except (OSError, EOFError) as exc:
            raise ChannelBroken(f"the learner's process closed the channel ({exc})") from None
        except WireError as exc:
            raise ChannelBroken(f"the learner's process sent an invalid reply: {exc}") from None
        if not isinstance(reply, dict) or not ({"ok", "err"} & reply.keys()):
            raise ChannelBroken("the learner's process sent an invalid reply")
        out = reply.get("out")
        if isinstance(out, str) and out:
            self.output.append(out[-_CAPTURE_CHARS:])
        if "err" in reply:
            raise self._exception(reply["err"])
        return self.wrap(reply["ok"])

    def _receive(self) -> bytes:
        while True:
            readable, _, _ = select.select([self.sock], [], [], 0.1)
            if readable:
                return recv_frame(self.sock)
            if self.on_wait is not None:
                self.on_wait()

    def _exception(self, info: Any) -> BaseException:
        if not isinstance(info, dict):
            return ChannelBroken("the learner's process sent an invalid error")
        name = _as_text(info.get("type"), "Exception")[:100]
        message = _as_text(info.get("msg"))
        if name == "SystemExit":
            return LearnerAbort(f"the code called sys.exit({_as_text(info.get('code'))})")
        if name in ("KeyboardInterrupt", "GeneratorExit"):
            return LearnerAbort(f"{name} raised by the code")
        error = _error_class(_as_text(info.get("base")))(message)
        error.type_name = name
        error.remote_traceback = _as_text(info.get("tb"))
        line = info.get("line")
        error.line = line if type(line) is int else None
        return error

    def wrap(self, value: Any) -> Any:
        """Decoded reply -> judge values, with every Handle turned into a Remote."""
        kind = type(value)
        if kind is Handle:
            return Remote(self, value.id, value.type_name)
        if kind is list:
            return [self.wrap(v) for v in value]
        if kind is tuple:
            return tuple(self.wrap(v) for v in value)
        if kind is dict:
            return {k: self.wrap(v) for k, v in value.items()}
        return value

    def take_output(self) -> str:
        text = "".join(self.output)
        self.output = []
        return text

    # -------------------------------------------------------------- helpers for tests
    def remote_module(self, name: str) -> Remote:
        return self.request("import", n=name)

    def keep(self, value: Any) -> Remote:
        return self.request("keep", a=[value])

    def define(self, source: str) -> Remote:
        return self.request("define", a=[source])


def _keep_handle(value: Any) -> Handle:
    if type(value) is Handle:
        return value
    raise NotData(type(value).__name__)


def _handle_of(value: Any) -> Handle:
    if isinstance(value, Remote):
        return Handle(object.__getattribute__(value, "_id"))
    kind = type(value)
    raise NotData(
        f"a {kind.__module__}.{kind.__qualname__} cannot be passed to the learner's code: build "
        "it there with ctx.remote('module').Name(...) or pass plain data"
    )


class Remote:
    """An object that lives in the learner's process, used from the judge.

    Attribute access, calls, items, ``len``, iteration, context managers and arithmetic go to
    the learner's process. Comparisons and truth values are decided here, on the fetched value.
    """

    __slots__ = ("__weakref__", "_channel", "_id", "_type")

    def __init__(self, channel: Channel, ident: int, type_name: str) -> None:
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_id", ident)
        object.__setattr__(self, "_type", type_name)

    def _ask(self, op: str, **fields: Any) -> Any:
        return self._channel.request(op, h=self._id, **fields)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._channel.released.append(self._id)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", n=name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._ask("setattr", n=name, a=[value])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._ask("call", a=list(args), k=kwargs)

    def __getitem__(self, key: Any) -> Any:
        return self._ask("getitem", a=[key])

    def __setitem__(self, key: Any, value: Any) -> None:
        self._ask("setitem", a=[key, value])

    def __delitem__(self, key: Any) -> None:
        self._ask("delitem", a=[key])

    def __len__(self) -> int:
        n = self._ask("len")
        if type(n) is not int or n < 0:
            raise TypeError("len() of the learner's object is not a non-negative int")
        return n

    def __contains__(self, item: Any) -> bool:
        return bool(self._ask("contains", a=[item]) is True)

    def __iter__(self) -> Iterator[Any]:
        iterator = self._ask("iter")
        while True:
            chunk = iterator._ask("next", count=256)
            if not isinstance(chunk, dict) or not isinstance(chunk.get("items"), list):
                raise ChannelBroken("the learner's process sent an invalid iteration reply")
            yield from chunk["items"]
            if chunk.get("done") is not False:
                return

    def __enter__(self) -> Any:
        return self._ask("callmethod", n="__enter__")

    def __exit__(self, *exc: Any) -> Literal[False]:
        self._ask("callmethod", n="__exit__", a=[None, None, None])
        return False

    # ------------------------------------------------------------------ judged here
    def value(self) -> Any:
        """The object as plain data, decoded here (TypeError if it cannot cross as data)."""
        return self._ask("value")

    def __bool__(self) -> bool:
        try:
            return bool(self.value())
        except RemoteError:  # an object that is not data: it exists, so it is true
            return True

    def __eq__(self, other: object) -> Any:
        try:
            return self.value() == other
        except RemoteError:
            return other is self

    def __ne__(self, other: object) -> Any:
        try:
            return self.value() != other
        except RemoteError:
            return other is not self

    def __lt__(self, other: Any) -> Any:
        return self.value() < other

    def __le__(self, other: Any) -> Any:
        return self.value() <= other

    def __gt__(self, other: Any) -> Any:
        return self.value() > other

    def __ge__(self, other: Any) -> Any:
        return self.value() >= other

    __hash__ = object.__hash__

    def __float__(self) -> float:
        return float(self.value())

    def __int__(self) -> int:
        return int(self.value())

    def __index__(self) -> int:
        value = self.value()
        if type(value) is not int:
            raise TypeError("the learner's object is not an int")
        return value

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        value = self.value()
        if sys.modules.get("torch") is not None and hasattr(value, "detach"):
            value = value.detach().cpu().numpy()
        return np.asarray(value, dtype=dtype)

    def __repr__(self) -> str:
        try:
            text = self._ask("repr")
        except (RemoteError, ChannelBroken):
            text = None
        return text[:500] if isinstance(text, str) else f"<{self._type} in the learner's process>"

    def __str__(self) -> str:
        return repr(self)

    def type_names(self) -> list[str]:
        """The class and its bases as the learner's process names them (for messages only)."""
        names = self._ask("type")
        return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def _binary(name: str, reverse: bool = False) -> Callable[[Remote, Any], Any]:
    def method(self: Remote, other: Any) -> Any:
        return self._ask("binop", n=name, a=[other], rev=reverse)

    return method


def _unary(name: str) -> Callable[[Remote], Any]:
    def method(self: Remote) -> Any:
        return self._ask("unop", n=name)

    return method


for _name in _BINARY:
    _dunder = _name.rstrip("_")
    setattr(Remote, f"__{_dunder}__", _binary(_name))
    setattr(Remote, f"__r{_dunder}__", _binary(_name, reverse=True))
for _name in _UNARY:
    setattr(Remote, f"__{_name}__", _unary(_name))
