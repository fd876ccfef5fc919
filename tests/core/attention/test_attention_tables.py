"""The attention steps are data: the tables must agree with each other and with the maths."""

from __future__ import annotations

import string

import pytest

from studyapp.core.attention.diagnose import CHECKS, MISTAKE_DIAGNOSES
from studyapp.core.attention.steps import (
    MISTAKE_COMPUTE,
    MISTAKES,
    STEP_TABLE,
    make_inputs,
    mha_steps,
)
from studyapp.core.attention.texts import BUG_CODE, LANGUAGES, STEP_TEXTS, step_text

FIELDS = {"letter", "upper", "role", "sqrt_dh", "mask"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_step_reads_only_earlier_tensors_and_has_its_words() -> None:
    known = {"x", "wq", "wk", "wv", "wo"}
    keys = [spec.key for spec in STEP_TABLE]
    assert len(keys) == len(set(keys)) == 18
    for spec in STEP_TABLE:
        assert set(spec.inputs) <= known, spec.key
        known.add(spec.key)
        text = STEP_TEXTS[spec.text]
        assert set(text.name) == set(text.explanation) == set(LANGUAGES)
        for template in (*text.name.values(), *text.explanation.values()):
            assert _fields(template) <= FIELDS, (spec.key, template)


@pytest.mark.parametrize("variant", sorted({*MISTAKE_COMPUTE, *BUG_CODE}))
def test_every_bug_variant_names_a_step_and_a_mistake(variant: str) -> None:
    text, mistake = variant.split(":")
    assert mistake in MISTAKES and text in {spec.text for spec in STEP_TABLE}
    assert variant in MISTAKE_COMPUTE  # a bug's words never change without its maths
    assert step_text(text, mistake) != step_text(text, None)


def test_each_mistake_changes_some_step_and_is_diagnosed() -> None:
    inputs = make_inputs(("a", "b", "c"), batch=1, d_model=4, seed=1)
    args = (inputs.x, inputs.wq, inputs.wk, inputs.wv, inputs.wo, 2)
    right = mha_steps(*args, causal=True)
    assert set(MISTAKE_DIAGNOSES) == set(MISTAKES) and CHECKS
    for mistake in MISTAKES:
        wrong = mha_steps(*args, causal=True, mistake=mistake)
        assert [s.key for s in wrong] == [s.key for s in right]
        assert any(a.numpy_code != b.numpy_code for a, b in zip(right, wrong, strict=True))
