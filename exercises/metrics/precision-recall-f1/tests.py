import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _counts(y_true, y_pred, label):
    tp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == label and p == label)
    fp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t != label and p == label)
    fn = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == label and p != label)
    return tp, fp, fn


def _div(a, b):
    return a / b if b else 0.0


def _prf(tp, fp, fn):
    p, r = _div(tp, tp + fp), _div(tp, tp + fn)
    return p, r, _div(2 * p * r, p + r)


def _reference(y_true, y_pred, average, pos_label=1):
    """sklearn's precision_recall_fscore_support with zero_division=0.0, by counting."""
    y_true, y_pred = list(y_true), list(y_pred)
    if average == "binary":
        return _prf(*_counts(y_true, y_pred, pos_label))
    labels = sorted(set(y_true) | set(y_pred))
    counts = [_counts(y_true, y_pred, c) for c in labels]
    if average == "micro":
        return _prf(*(sum(c[i] for c in counts) for i in range(3)))
    per_label = [_prf(*c) for c in counts]
    return tuple(sum(m[i] for m in per_label) / len(per_label) for i in range(3))


def _call(sol, y_true, y_pred, average, what, **kwargs):
    result = sol.precision_recall_f1(y_true, y_pred, average=average, **kwargs)
    assert_true(result is not None, f"{what} returned None: return (precision, recall, f1)")
    assert_true(
        isinstance(result, tuple | list) and len(result) == 3,
        f"{what} must return a tuple (precision, recall, f1), got {result!r}"[:300],
    )
    assert_true(
        all(isinstance(v, float) for v in result),
        f"{what} must return three Python floats, got {[type(v).__name__ for v in result]}",
    )
    return list(result)


def _check(sol, ctx, y_true, y_pred, average, what, **kwargs):
    got = _call(sol, y_true, y_pred, average, what, **kwargs)
    expected = list(_reference(y_true, y_pred, average, **kwargs))
    assert_close(
        got, expected, rtol=ctx.rtol, atol=ctx.atol, what=f"{what} -> (precision, recall, f1)"
    )
    return got


def test_binary_worked_example(sol, ctx):
    y_true = [1, 1, 1, 0, 0, 0, 0, 1]
    y_pred = [1, 0, 1, 1, 0, 0, 0, 0]
    what = "precision_recall_f1([1, 1, 1, 0, 0, 0, 0, 1], [1, 0, 1, 1, 0, 0, 0, 0])"
    got = _call(sol, y_true, y_pred, "binary", what)
    assert_close(got, [2 / 3, 0.5, 4 / 7], rtol=ctx.rtol, atol=ctx.atol, what=what)
    what = what[:-1] + ", pos_label=0)"
    _check(sol, ctx, y_true, y_pred, "binary", what, pos_label=0)


def test_binary_random(sol, ctx):
    rng = ctx.rng(2)
    for n, rate, noise in [(50, 0.3, 0.2), (200, 0.1, 0.3), (31, 0.6, 0.4)]:
        y_true = (rng.random(n) < rate).astype(int)
        y_pred = np.where(rng.random(n) < noise, 1 - y_true, y_true)
        _check(sol, ctx, y_true, y_pred, "binary", f"binary metrics of {n} random labels")


def test_zero_division_gives_zero(sol, ctx):
    cases = [
        ([1, 0, 1, 0], [0, 0, 0, 0], "no predicted positives"),
        ([0, 0, 0, 0], [1, 0, 1, 0], "no true positives"),
        ([0, 0, 0], [0, 0, 0], "no positives at all"),
    ]
    for y_true, y_pred, why in cases:
        what = f"precision_recall_f1({y_true}, {y_pred}) ({why})"
        got = _call(sol, y_true, y_pred, "binary", what)
        assert_true(
            not any(np.isnan(got)),
            f"{what} = {got}: a 0/0 metric must be 0.0 (sklearn's zero_division=0.0), not nan",
        )
        assert_close(got, [0.0, 0.0, 0.0], rtol=0.0, atol=0.0, what=what)


def test_macro_is_mean_of_per_label_metrics(sol, ctx):
    y_true = [0, 0, 0, 0, 0, 0, 0, 1, 1, 2]
    y_pred = [0, 0, 0, 0, 0, 0, 1, 1, 0, 0]
    what = "macro metrics of the worked example"
    got = _call(sol, y_true, y_pred, "macro", what)
    expected = [(0.75 + 0.5 + 0.0) / 3, (6 / 7 + 0.5 + 0.0) / 3, (0.8 + 0.5 + 0.0) / 3]
    assert_close(got, expected, rtol=ctx.rtol, atol=ctx.atol, what=what)
    # Per-label precision and recall far apart: mean of F1s and F1 of means differ clearly.
    y_true = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 1, 1, 1, 1, 2, 0, 0, 0]
    _check(sol, ctx, y_true, y_pred, "macro", "macro metrics (macro-F1 = mean of per-label F1)")


def test_macro_and_micro_differ_on_imbalanced_data(sol, ctx):
    rng = ctx.rng(5)
    y_true = rng.choice(3, size=120, p=[0.8, 0.15, 0.05])
    y_pred = np.where(rng.random(120) < 0.25, rng.choice(3, size=120), y_true)
    macro = _check(sol, ctx, y_true, y_pred, "macro", "macro metrics, imbalanced 3 classes")
    micro = _check(sol, ctx, y_true, y_pred, "micro", "micro metrics, imbalanced 3 classes")
    accuracy = float(np.mean(y_true == y_pred))
    assert_close(
        micro,
        [accuracy] * 3,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="micro (precision, recall, f1) on single-label data: each equals the accuracy",
    )
    assert_true(abs(macro[2] - micro[2]) > 0.05, f"macro-F1 {macro[2]} should differ from micro-F1")


def test_macro_includes_labels_only_predicted(sol, ctx):
    y_true = [0, 1, 1, 0, 1, 0, 1, 1]
    y_pred = [0, 1, 3, 0, 1, 3, 1, 0]
    _check(
        sol,
        ctx,
        y_true,
        y_pred,
        "macro",
        "macro metrics where label 3 appears only in y_pred (labels = union, sorted)",
    )
    rng = ctx.rng(6)
    y_true = rng.choice([2, 5, 7, 9], size=60)
    y_pred = rng.choice([2, 4, 5, 7], size=60)
    for average in ("macro", "micro"):
        _check(sol, ctx, y_true, y_pred, average, f"{average} metrics, labels 2, 4, 5, 7, 9")


def test_unknown_average_raises_value_error(sol, ctx):
    y_true, y_pred = [0, 1, 2, 1, 0], [0, 2, 2, 1, 1]
    for average in ("weighted", "samples", "Macro", None):
        what = f"precision_recall_f1({y_true}, {y_pred}, average={average!r})"
        try:
            result = sol.precision_recall_f1(y_true, y_pred, average=average)
        except ValueError as exc:
            assert_true(
                str(average) in str(exc),
                f"{what} raised ValueError({str(exc)!r}); the message must name the value "
                f"given, {average!r}, so the caller sees what was wrong",
            )
            continue
        assert_true(
            False,
            f"{what} returned {result!r}; average must be 'binary', 'macro' or 'micro', "
            "anything else raises ValueError naming it",
        )


def test_numpy_only(sol, ctx):
    check_source_rules(
        ctx,
        rule="use numpy only (no sklearn, scipy, pandas or torch)",
        modules=("sklearn", "scipy", "pandas", "torch"),
    )
