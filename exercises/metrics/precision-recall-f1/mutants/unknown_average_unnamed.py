import numpy as np


def _safe_div(num, den):
    """num / den elementwise, 0.0 where den == 0 (sklearn's zero_division=0.0)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den != 0)
    return out


def precision_recall_f1(y_true, y_pred, average: str = "binary", pos_label=1):
    """(precision, recall, f1) as Python floats; average is "binary", "macro" or "micro"."""
    if average not in ("binary", "macro", "micro"):
        raise ValueError("unknown average")  # the bug: does not say which value was given
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    labels = np.array([pos_label]) if average == "binary" else np.union1d(y_true, y_pred)
    tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in labels])
    fp = np.array([np.sum((y_true != c) & (y_pred == c)) for c in labels])
    fn = np.array([np.sum((y_true == c) & (y_pred != c)) for c in labels])
    if average == "micro":
        tp, fp, fn = tp.sum(), fp.sum(), fn.sum()
    precision = _safe_div(tp, tp + fp)
    recall = _safe_div(tp, tp + fn)
    f1 = _safe_div(2 * precision * recall, precision + recall)
    return float(np.mean(precision)), float(np.mean(recall)), float(np.mean(f1))
