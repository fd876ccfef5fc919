"""The data-only wire format and the call channel between the judge and the learner's process."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import numpy as np
import pytest
import torch

from studyapp.core.drills.sandbox.channel import (
    Channel,
    ChannelBroken,
    LearnerServer,
    Remote,
    RemoteError,
)
from studyapp.core.drills.sandbox.harness import Context, load_solution
from studyapp.core.drills.sandbox.wire import (
    MAX_DEPTH,
    Handle,
    WireError,
    decode,
    encode,
    recv_frame,
)

VALUES = [
    None, True, False, 0, -(2**70), 1.5, 2j, "héllo", b"\x00raw", (1, "a"), [1, [2, [3]]],
    {"k": (1, 2), 3: None}, {1, 2}, frozenset({"x"}), slice(1, None, -1), Ellipsis,
    list(range(50)), tuple(float(i) for i in range(20)),
]  # fmt: skip


@pytest.mark.parametrize("value", VALUES, ids=[type(v).__name__ for v in VALUES])
def test_plain_values_round_trip(value: object) -> None:
    back = decode(encode(value))
    assert back == value and type(back) is type(value)


def test_arrays_and_tensors_cross_as_raw_buffers() -> None:
    array = np.arange(12, dtype=np.float32).reshape(3, 4)[:, ::2]  # not contiguous
    back = decode(encode(array))
    assert back.dtype == np.float32 and np.array_equal(back, array)
    assert decode(encode(np.float64(2.5))) == np.float64(2.5)
    tensor = torch.arange(6, dtype=torch.bfloat16).reshape(2, 3)
    got = decode(encode(tensor))
    assert got.dtype == torch.bfloat16 and torch.equal(got, tensor)
    assert decode(encode(torch.float64)) is torch.float64
    assert decode(encode([torch.device("cpu")])) == [torch.device("cpu")]
    grad = decode(encode(torch.ones(2, requires_grad=True)))
    assert grad.requires_grad and grad.is_leaf


def test_objects_are_refused_or_become_handles() -> None:
    with pytest.raises(TypeError, match="cannot be sent as data"):
        encode(object())
    with pytest.raises(TypeError):
        encode(np.array([object()], dtype=object))
    kept: list[object] = []

    def keep(obj: object) -> Handle:
        kept.append(obj)
        return Handle(len(kept), type(obj).__name__)

    back = decode(encode({"model": torch.nn.Linear(2, 2), "n": 3}, keep))
    assert isinstance(back["model"], Handle) and back["n"] == 3 and len(kept) == 1


@pytest.mark.parametrize(
    "payload",
    [
        b"a" + struct.pack("<I", 3) + b"|O8" + b"\x00",  # object dtype
        b"l" + struct.pack("<I", 2**31),  # a list longer than the message
        b"s" + struct.pack("<I", 100) + b"short",  # a string cut short
        b"\x80\x04\x95",  # the start of a pickle
        b"i" + struct.pack("<q", 1) + b"extra",  # bytes after the value
        b"l\x01\x00\x00\x00" * (MAX_DEPTH + 5) + b"N",  # nested too deep
        b"V" + struct.pack("<I", 4) + b"disk",  # not a device
    ],
)
def test_hostile_messages_are_refused(payload: bytes) -> None:
    with pytest.raises(WireError):
        decode(payload)


def test_an_oversized_frame_is_refused_before_it_is_read() -> None:
    a, b = socket.socketpair()
    with a, b:
        b.sendall(struct.pack("<I", 2**31))
        with pytest.raises(WireError, match="larger than"):
            recv_frame(a)


SOURCE = """
import numpy as np


class Counter:
    def __init__(self):
        self.n = 0

    def add(self, k):
        self.n += k
        return self.n


def double(x):
    print("doubling")
    return x * 2


def fail():
    raise ValueError("bad input")


def weird():
    class Liar:
        def __eq__(self, other):
            return True

        def __bool__(self):
            return True

    return Liar()
"""


@pytest.fixture
def channel() -> Iterator[Channel]:
    """The learner's side in a thread (the real worker is exercised in test_drills)."""
    mine, theirs = socket.socketpair()
    server = LearnerServer(theirs)
    server.ops["load"] = lambda request: server.keep(load_solution(request["source"]))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield Channel(mine)
    mine.close()
    thread.join(5)
    theirs.close()


def test_calls_values_handles_and_exceptions(channel: Channel) -> None:
    sol = channel.request("load", source=SOURCE)
    assert isinstance(sol, Remote)
    assert np.array_equal(sol.double(np.arange(3)), [0, 2, 4])
    counter = sol.Counter()
    assert isinstance(counter, Remote)
    assert Context(channel=channel).call_many(counter, [("add", (2,)), ("add", (3,))]) == [2, 5]
    assert counter.n == 5
    counter.n = 10
    assert counter.add(1) == 11
    with pytest.raises(ValueError, match="bad input") as caught:
        sol.fail()
    assert isinstance(caught.value, RemoteError)
    assert 'File "solution.py", line 20' in caught.value.remote_traceback


def test_comparisons_are_decided_by_the_judge(channel: Channel) -> None:
    sol = channel.request("load", source=SOURCE)
    liar = sol.weird()
    assert (liar == 42) is False  # its __eq__ says True, but it is not data: not equal here
    assert liar != 42


def test_a_dead_learner_breaks_the_channel() -> None:
    mine, theirs = socket.socketpair()
    theirs.close()
    with pytest.raises(ChannelBroken):
        Channel(mine).request("load", source="x = 1")
    mine.close()
