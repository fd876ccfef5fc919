"""A data-only binary encoding for values crossing between the judge and the learner's process.

Why not pickle, marshal or JSON: unpickling is code execution, so anything the learner's process
sends must be read by a decoder that can only ever build plain data. JSON cannot carry arrays
cheaply, bytes, complex numbers or tuples. This format carries exactly: None, bool, int, float,
complex, str, bytes, list, tuple, dict, set, frozenset, slice, Ellipsis, numpy arrays and scalars
of numeric dtypes, numpy dtypes, torch tensors (raw bytes with dtype, shape, device and
``requires_grad``), torch dtypes and devices, and *handles* (an integer naming an object that
stays in the other process). Decoding checks every length against what is left of the message
and caps depth and element count, so a hostile message is refused, never trusted.

A frame on the socket is a 4-byte little-endian length followed by the encoded value.
"""

from __future__ import annotations

import socket
import struct
import sys
from array import array
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

__all__ = [
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_MESSAGE",
    "Handle",
    "NotData",
    "WireError",
    "decode",
    "encode",
    "recv_frame",
    "send_frame",
]

#: Largest frame either side accepts (a hostile size is refused before anything is read).
MAX_MESSAGE = 128 * 2**20
#: Deepest nesting of containers.
MAX_DEPTH = 64
#: Most values (container items, scalars, array elements count once per array) in one message.
MAX_ELEMENTS = 4_000_000

_NUMPY_DTYPES = {
    np.dtype(name).str: np.dtype(name)
    for name in (
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "complex64", "complex128",
    )
}  # fmt: skip
_TORCH_DTYPES = (
    "bool", "uint8", "int8", "int16", "int32", "int64",
    "float16", "bfloat16", "float32", "float64", "complex64", "complex128",
)  # fmt: skip
_DEVICE_PREFIXES = ("cpu", "cuda", "mps")
_INT64 = 2**63
_I = struct.Struct("<cq")
_F = struct.Struct("<cd")
_S = struct.Struct("<cI")
_U32 = struct.Struct("<I")
_Q = struct.Struct("<q")
_SIMPLE_CODES = {ord("N"): None, ord("T"): True, ord("F"): False, ord("E"): Ellipsis}
_D = struct.Struct("<d")


class WireError(ValueError):
    """A message that is not a valid encoding (or breaks a cap)."""


class NotData(TypeError):
    """A value that cannot cross as data (the encoder's ``handle`` callback was not given)."""


class Handle:
    """A reference to an object that stays in the other process."""

    __slots__ = ("id", "type_name")

    def __init__(self, id: int, type_name: str = "") -> None:
        self.id = id
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"Handle({self.id}, {self.type_name!r})"


# ---------------------------------------------------------------------- encoding
class _Encoder:
    def __init__(self, handle: Callable[[Any], Handle] | None, handle_grad: bool) -> None:
        self.parts: list[bytes] = []
        self.handle = handle
        self.handle_grad = handle_grad
        self.elements = 0
        self.torch = sys.modules.get("torch")

    def str_(self, tag: bytes, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        self.parts += [tag, struct.pack("<I", len(data)), data]

    def count(self, n: int) -> None:
        self.elements += n
        if self.elements > MAX_ELEMENTS:
            raise WireError(f"more than {MAX_ELEMENTS} values in one message")

    def value(self, v: Any, depth: int = 0) -> None:
        t = type(v)
        self.elements += 1
        p = self.parts
        if t is int and -_INT64 <= v < _INT64:  # the common cases first, without the checks
            p.append(_I.pack(b"i", v))
            return
        if t is str and len(v) < 256:
            data = v.encode("utf-8", "surrogatepass")
            p.append(_S.pack(b"s", len(data)) + data)
            return
        if t is float:
            p.append(_F.pack(b"f", v))
            return
        if (t is tuple or t is list) and len(v) <= 8 and depth < MAX_DEPTH:
            p.append(_S.pack(b"t" if t is tuple else b"l", len(v)))
            for item in v:
                self.value(item, depth + 1)
            return
        if depth > MAX_DEPTH:
            raise WireError(f"values nested deeper than {MAX_DEPTH}")
        self.count(0)
        if v is None:
            p.append(b"N")
        elif v is True or v is False:
            p.append(b"T" if v else b"F")
        elif t is Handle:
            p.append(b"h" + struct.pack("<Q", v.id))
            self.str_(b"", v.type_name)
        elif isinstance(v, np.generic) and v.dtype.str in _NUMPY_DTYPES:
            self.str_(b"g", v.dtype.str)
            p.append(v.tobytes())
        elif isinstance(v, int) and not isinstance(v, bool):
            v = int(v)
            if -_INT64 <= v < _INT64:
                p.append(b"i" + struct.pack("<q", v))
            else:
                self.str_(b"I", str(v))
        elif isinstance(v, float):
            p.append(b"f" + struct.pack("<d", v))
        elif isinstance(v, complex):
            p.append(b"c" + struct.pack("<dd", v.real, v.imag))
        elif isinstance(v, str):
            self.str_(b"s", str(v))
        elif isinstance(v, bytes | bytearray):
            p += [b"b", struct.pack("<I", len(v)), bytes(v)]
        elif isinstance(v, list):
            self.sequence(b"l", v, depth)
        elif isinstance(v, tuple) and not hasattr(v, "_fields"):
            self.sequence(b"t", v, depth)
        elif isinstance(v, dict):
            p += [b"d", struct.pack("<I", len(v))]
            for key, item in list(v.items()):
                self.value(key, depth + 1)
                self.value(item, depth + 1)
        elif isinstance(v, set | frozenset):
            self.sequence(b"z" if isinstance(v, frozenset) else b"e", list(v), depth)
        elif t is slice:
            p.append(b"S")
            for part in (v.start, v.stop, v.step):
                self.value(part, depth + 1)
        elif v is Ellipsis:
            p.append(b"E")
        elif isinstance(v, np.ndarray) and v.dtype.str in _NUMPY_DTYPES:
            self.array(v)
        elif isinstance(v, np.dtype) and v.str in _NUMPY_DTYPES:
            self.str_(b"y", v.str)
        elif self.torch is not None and self.torch_value(self.torch, v):
            pass
        elif self.handle is not None:
            self.value(self.handle(v), depth)
            self.elements -= 1
        else:
            raise NotData(f"a {t.__module__}.{t.__qualname__} cannot be sent as data")

    def sequence(self, tag: bytes, items: Any, depth: int) -> None:
        n = len(items)
        if n > 8 and tag in (b"l", b"t"):
            kinds = {type(x) for x in items}
            if kinds == {int} and all(-_INT64 <= x < _INT64 for x in items):
                self.count(n)
                tag = b"L" if tag == b"l" else b"K"
                self.parts += [tag, struct.pack("<I", n), array("q", items).tobytes()]
                return
            if kinds == {float}:
                self.count(n)
                tag = b"R" if tag == b"l" else b"U"
                self.parts += [tag, struct.pack("<I", n), array("d", items).tobytes()]
                return
        self.parts += [tag, struct.pack("<I", n)]
        for item in items:
            self.value(item, depth + 1)

    def array(self, v: np.ndarray) -> None:
        v = np.ascontiguousarray(v.view(np.ndarray))
        if v.dtype.byteorder == ">":
            v = v.astype(v.dtype.newbyteorder("<"))
        self.count(v.size)
        data = v.tobytes()
        self.str_(b"a", v.dtype.str)
        self.parts += [struct.pack(f"<B{v.ndim}Q", v.ndim, *v.shape), struct.pack("<Q", len(data))]
        self.parts.append(data)

    def torch_value(self, torch: ModuleType, v: Any) -> bool:
        if isinstance(v, torch.dtype):
            name = str(v).removeprefix("torch.")
            if name not in _TORCH_DTYPES:
                return False
            self.str_(b"D", name)
            return True
        if isinstance(v, torch.device):
            self.str_(b"V", str(v))
            return True
        if not isinstance(v, torch.Tensor):
            return False
        name = str(v.dtype).removeprefix("torch.")
        if name not in _TORCH_DTYPES or v.layout != torch.strided or v.is_quantized:
            return False
        if v.requires_grad and self.handle_grad and self.handle is not None:
            return False  # the autograd graph stays where it was built
        with torch._C.DisableTorchFunction():
            flat = v.detach().resolve_conj().resolve_neg().to("cpu").contiguous().reshape(-1)
            data = flat.view(torch.uint8).numpy().tobytes() if flat.numel() else b""
        self.count(flat.numel())
        self.str_(b"x", name)
        self.parts.append(struct.pack(f"<B{v.dim()}Q", v.dim(), *v.shape))
        self.str_(b"", str(v.device))
        self.parts += [b"T" if v.requires_grad else b"F", struct.pack("<Q", len(data)), data]
        return True


def encode(
    value: Any, handle: Callable[[Any], Handle] | None = None, *, handle_grad: bool = False
) -> bytes:
    """Encode ``value``; objects that are not data become ``handle(obj)`` (or raise NotData).

    With ``handle_grad``, tensors that require grad become handles too, so their autograd graph
    stays in the process that built it.
    """
    encoder = _Encoder(handle, handle_grad)
    encoder.value(value)
    data = b"".join(encoder.parts)
    if len(data) > MAX_MESSAGE:
        raise WireError(f"a message of {len(data)} bytes is larger than {MAX_MESSAGE} bytes")
    return data


# ---------------------------------------------------------------------- decoding
class _Decoder:
    def __init__(self, data: bytes, device_ok: Callable[[str], bool] | None) -> None:
        self.data = bytes(data)
        self.view = memoryview(self.data)
        self.pos = 0
        self.elements = 0
        self.device_ok = device_ok

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.view):
            raise WireError("the message ends in the middle of a value")
        part = self.view[self.pos : self.pos + n]
        self.pos += n
        return part

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))

    def text(self) -> str:
        (n,) = self.unpack("<I")
        return str(self.take(n), "utf-8", "surrogatepass")

    def count(self, n: int) -> None:
        self.elements += n
        if self.elements > MAX_ELEMENTS:
            raise WireError(f"more than {MAX_ELEMENTS} values in one message")

    def value(self, depth: int = 0) -> Any:
        data, pos = self.data, self.pos
        self.elements += 1
        code = data[pos] if pos < len(data) else 0
        if code == 0x69:  # "i"
            self.pos = pos + 9
            return _Q.unpack_from(data, pos + 1)[0]
        if code == 0x73:  # "s"
            (n,) = _U32.unpack_from(data, pos + 1)
            end = pos + 5 + n
            if end > len(data):
                raise WireError("the message ends in the middle of a value")
            self.pos = end
            return str(data[pos + 5 : end], "utf-8", "surrogatepass")
        if code == 0x66:  # "f"
            self.pos = pos + 9
            return _D.unpack_from(data, pos + 1)[0]
        if (code == 0x74 or code == 0x6C) and depth < MAX_DEPTH:  # "t", "l"
            (n,) = _U32.unpack_from(data, pos + 1)
            if n > len(data) - pos:
                raise WireError("a container longer than the message")
            self.pos = pos + 5
            read = self.value
            items = [read(depth + 1) for _ in range(n)]
            return items if code == 0x6C else tuple(items)
        if code in _SIMPLE_CODES:
            self.pos = pos + 1
            return _SIMPLE_CODES[code]
        if depth > MAX_DEPTH:
            raise WireError(f"values nested deeper than {MAX_DEPTH}")
        self.count(0)
        tag = bytes(self.take(1))
        reader = _READERS.get(tag)
        if reader is None:
            raise WireError(f"unknown tag {tag!r} at byte {self.pos - 1}")
        return reader(self, tag, depth)

    # The readers of the tagged values (the common ones are read inline by ``value``), each
    # called as ``reader(decoder, tag, depth)`` from :data:`_READERS`.
    def big_int(self, tag: bytes, depth: int) -> int:
        digits = self.text()
        if len(digits) > 4300 or not digits.lstrip("-").isdigit():
            raise WireError("a malformed big integer")
        return int(digits)

    def raw_bytes(self, tag: bytes, depth: int) -> bytes:
        (n,) = self.unpack("<I")
        return bytes(self.take(n))

    def sequence(self, tag: bytes, depth: int) -> _Sequence:
        (n,) = self.unpack("<I")
        self.count(n)
        if n > len(self.data) - self.pos:
            raise WireError("a container longer than the message")
        read = self.value
        items = [read(depth + 1) for _ in range(n)]
        try:
            return _SEQUENCES[tag](items)
        except TypeError as exc:  # an unhashable item in a set
            raise WireError(f"a malformed set: {exc}") from None

    def mapping(self, tag: bytes, depth: int) -> dict[Any, Any]:
        (n,) = self.unpack("<I")
        self.count(2 * n)
        result = {}
        for _ in range(n):
            key = self.value(depth + 1)
            try:
                result[key] = self.value(depth + 1)
            except TypeError as exc:
                raise WireError(f"a malformed dict: {exc}") from None
        return result

    def slice_(self, tag: bytes, depth: int) -> slice:
        parts = [self.value(depth + 1) for _ in range(3)]
        if not all(p is None or type(p) is int for p in parts):
            raise WireError("a malformed slice")
        return slice(*parts)

    def handle(self, tag: bytes, depth: int) -> Handle:
        (ident,) = self.unpack("<Q")
        return Handle(ident, self.text()[:200])

    def numpy_scalar(self, tag: bytes, depth: int) -> Any:
        dtype = self.dtype(self.text())
        return np.frombuffer(bytes(self.take(dtype.itemsize)), dtype=dtype)[0]

    def packed(self, tag: bytes) -> Any:
        (n,) = self.unpack("<I")
        self.count(n)
        values = array("q" if tag in (b"L", b"K") else "d")
        values.frombytes(bytes(self.take(8 * n)))
        items = values.tolist()
        return items if tag in (b"L", b"R") else tuple(items)

    def dtype(self, name: str) -> np.dtype:
        if name not in _NUMPY_DTYPES:
            raise WireError(f"dtype {name[:20]!r} is not allowed")
        return _NUMPY_DTYPES[name]

    def shape(self) -> tuple[int, ...]:
        (ndim,) = self.unpack("<B")
        if ndim > 32:
            raise WireError("too many dimensions")
        shape = self.unpack(f"<{ndim}Q")
        size = 1
        for n in shape:
            size *= n
        if size > MAX_ELEMENTS:
            raise WireError(f"an array of more than {MAX_ELEMENTS} elements")
        self.count(size)
        return shape

    def ndarray(self) -> np.ndarray:
        dtype = self.dtype(self.text())
        shape = self.shape()
        (nbytes,) = self.unpack("<Q")
        if nbytes != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
            raise WireError("an array whose byte count does not match its shape")
        return np.frombuffer(bytearray(self.take(nbytes)), dtype=dtype).reshape(shape)

    def torch_value(self, tag: bytes) -> Any:
        torch = sys.modules.get("torch")
        if torch is None:
            raise WireError("a torch value, but torch is not available here")
        if tag == b"D":
            name = self.text()
            if name not in _TORCH_DTYPES:
                raise WireError(f"torch dtype {name[:20]!r} is not allowed")
            return getattr(torch, name)
        if tag == b"V":
            return torch.device(self.device(self.text()))
        name = self.text()
        if name not in _TORCH_DTYPES:
            raise WireError(f"torch dtype {name[:20]!r} is not allowed")
        dtype = getattr(torch, name)
        shape = self.shape()
        device = self.device(self.text())
        grad = bytes(self.take(1)) == b"T"
        (nbytes,) = self.unpack("<Q")
        size = int(np.prod(shape, dtype=np.int64))
        itemsize = torch.empty((), dtype=dtype).element_size()
        if nbytes != size * itemsize:
            raise WireError("a tensor whose byte count does not match its shape")
        raw = self.take(nbytes)
        if size:
            tensor = torch.frombuffer(bytearray(raw), dtype=dtype).reshape(shape)
        else:
            tensor = torch.empty(shape, dtype=dtype)
        if device != "cpu" and (self.device_ok is None or self.device_ok(device)):
            tensor = tensor.to(device)
        if grad and (dtype.is_floating_point or dtype.is_complex):
            tensor.requires_grad_(True)
        return tensor

    def device(self, name: str) -> str:
        base, _, index = name.partition(":")
        if base not in _DEVICE_PREFIXES or (index and not index.isdigit()) or len(name) > 12:
            raise WireError(f"device {name[:20]!r} is not allowed")
        return name


_Sequence = list[Any] | tuple[Any, ...] | set[Any] | frozenset[Any]
_SEQUENCES: dict[bytes, Callable[[list[Any]], _Sequence]] = {
    b"l": list,
    b"t": tuple,
    b"e": set,
    b"z": frozenset,
}

#: How the decoder reads each tag that ``_Decoder.value`` does not read inline.
_READERS: dict[bytes, Callable[[_Decoder, bytes, int], Any]] = {
    b"i": lambda d, tag, depth: d.unpack("<q")[0],
    b"I": _Decoder.big_int,
    b"f": lambda d, tag, depth: d.unpack("<d")[0],
    b"c": lambda d, tag, depth: complex(*d.unpack("<dd")),
    b"s": lambda d, tag, depth: d.text(),
    b"b": _Decoder.raw_bytes,
    **dict.fromkeys((b"l", b"t", b"e", b"z"), _Decoder.sequence),
    **dict.fromkeys((b"L", b"K", b"R", b"U"), lambda d, tag, depth: d.packed(tag)),
    b"d": _Decoder.mapping,
    b"S": _Decoder.slice_,
    b"h": _Decoder.handle,
    b"g": _Decoder.numpy_scalar,
    b"y": lambda d, tag, depth: d.dtype(d.text()),
    b"a": lambda d, tag, depth: d.ndarray(),
    **dict.fromkeys((b"x", b"D", b"V"), lambda d, tag, depth: d.torch_value(tag)),
}


def decode(data: bytes, device_ok: Callable[[str], bool] | None = None) -> Any:
    """Decode one message into plain data and :class:`Handle` objects (raises WireError)."""
    if len(data) > MAX_MESSAGE:
        raise WireError(f"a message of {len(data)} bytes is larger than {MAX_MESSAGE} bytes")
    decoder = _Decoder(data, device_ok)
    try:
        value = decoder.value()
    except (struct.error, UnicodeDecodeError, RecursionError, OverflowError, IndexError) as exc:
        raise WireError(f"a malformed message: {exc}") from None
    if decoder.pos != len(data):
        raise WireError("bytes left over after the value")
    return value


# ---------------------------------------------------------------------- framing
def send_frame(sock: socket.socket, payload: bytes) -> None:
    """One frame: the length, then the payload."""
    sock.sendall(struct.pack("<I", len(payload)) + payload)


def recv_frame(sock: socket.socket, limit: int = MAX_MESSAGE) -> bytes:
    """Read one frame; EOFError when the other side closed, WireError when it is too large."""
    header = _recv_exactly(sock, 4)
    (size,) = struct.unpack("<I", header)
    if size > limit:
        raise WireError(f"a message of {size} bytes is larger than the limit of {limit} bytes")
    return _recv_exactly(sock, size)


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    buffer = bytearray(n)
    view = memoryview(buffer)
    got = 0
    while got < n:
        read = sock.recv_into(view[got:], n - got)
        if not read:
            raise EOFError("the other process closed the channel")
        got += read
    return bytes(buffer)
