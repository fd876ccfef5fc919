"""SM-2 follows the 1987 text exactly, with the project's stated reading of its ambiguities."""

from decimal import Decimal

import pytest

from studyapp.core.scheduling.sm2 import Sm2State, review


def intervals(grades: list[int]) -> list[int]:
    state = Sm2State()
    out = []
    for g in grades:
        state = review(state, g)
        out.append(state.interval)
    return out


def test_new_item_defaults() -> None:
    s = Sm2State()
    assert (s.repetitions, s.ef, s.interval) == (0, Decimal("2.5"), 0)
    assert s.ef == 2.5


@pytest.mark.parametrize(
    ("grades", "expected"),
    [([5, 5, 5, 5], [1, 6, 17, 48]), ([5, 5, 0, 4], [1, 6, 1, 1]), ([3, 3, 3], [1, 6, 14])],
)
def test_worked_examples(grades: list[int], expected: list[int]) -> None:
    assert intervals(grades) == expected


def test_ef_stays_exact_no_float_drift() -> None:
    state = Sm2State()
    for _ in range(5):
        state = review(state, 5)
    assert state.ef == Decimal("3.00")
    assert review(state, 5).interval == 420  # a float EF of 3.0000000000000004 gives 421


def test_interval_uses_ef_before_update() -> None:
    # After 1, 6 with grade 3 the EF is 2.5-0.14-0.14 = 2.22, and the third interval uses 2.22
    # (before the third review's own -0.14), so ceil(6 * 2.22) = 14, not ceil(6 * 2.08) = 13.
    s = review(review(Sm2State(), 3), 3)
    assert s.ef == Decimal("2.22")
    third = review(s, 3)
    assert third.interval == 14
    assert third.ef == Decimal("2.08")


@pytest.mark.parametrize(
    ("q", "delta"),
    [(5, "0.10"), (4, "0.00"), (3, "-0.14"), (2, "-0.32"), (1, "-0.54"), (0, "-0.80")],
)
def test_ef_update_applies_to_every_grade(q: int, delta: str) -> None:
    assert review(Sm2State(), q).ef == Decimal("2.5") + Decimal(delta)


def test_failure_resets_repetitions_and_still_updates_ef() -> None:
    s = review(review(review(Sm2State(), 5), 5), 5)
    failed = review(s, 1)
    assert (failed.repetitions, failed.interval) == (0, 1)
    assert failed.ef == s.ef - Decimal("0.54")
    assert review(failed, 4).interval == 1 and review(review(failed, 4), 4).interval == 6


def test_ef_floor_and_no_cap() -> None:
    s = Sm2State()
    for _ in range(10):
        s = review(s, 0)
    assert s.ef == Decimal("1.3")
    for _ in range(30):
        s = review(s, 5)
    assert s.ef == Decimal("4.3")


def test_review_returns_new_state_without_mutation() -> None:
    s = Sm2State()
    after = review(s, 5)
    assert s == Sm2State() and after is not s
    with pytest.raises(AttributeError):
        s.interval = 3  # type: ignore[misc]


@pytest.mark.parametrize("bad", [6, -1, 2.5, True, False, "5", None, 3.0])
def test_invalid_quality_raises(bad: object) -> None:
    with pytest.raises(ValueError, match="quality"):
        review(Sm2State(), bad)  # type: ignore[arg-type]


def test_next_states_after_one_good_answer() -> None:
    s = review(Sm2State(), 4)
    assert [review(s, q).interval for q in range(6)] == [1, 1, 1, 6, 6, 6]


def test_constructor_accepts_numbers_exactly() -> None:
    assert Sm2State(2, 2.36, 6).ef == Decimal("2.36")
    assert Sm2State.from_hundredths(2, 236, 6) == Sm2State(2, Decimal("2.36"), 6)
    with pytest.raises(ValueError):
        Sm2State(ef=1.0)
