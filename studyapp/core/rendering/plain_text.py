"""A card's Markdown and LaTeX as one line of plain readable text, for lists (the browser).

Why not the renderer: a list row is one line of plain text; rendering formulas to images there
would cost a matplotlib call per row. Common TeX commands become their Unicode symbols
(``$n \\leq 10^5$`` reads "n ≤ 10^5"), Markdown marks are dropped and code keeps its text.
"""

from __future__ import annotations

import re

__all__ = ["plain_text"]

#: TeX commands with a one-character Unicode reading.
_SYMBOLS = {
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "infty": "∞", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "iff": "⇔", "in": "∈",
    "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩", "forall": "∀",
    "exists": "∃", "sum": "Σ", "prod": "Π", "int": "∫", "partial": "∂", "nabla": "∇",
    "sqrt": "√", "ldots": "…", "dots": "…", "cdots": "⋯", "log": "log", "exp": "exp",
    "max": "max", "min": "min", "arg": "arg", "sim": "~", "propto": "∝", "mid": "|",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "top": "ᵀ", "lvert": "|", "rvert": "|",
    "lVert": "‖", "rVert": "‖", "|": "‖", "{": "{", "}": "}", "%": "%", "_": "_", "$": "$",
}  # fmt: skip
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_WRAPPERS = re.compile(
    r"\\(?:mathrm|mathbf|mathit|mathcal|mathbb|text|textbf|operatorname|boldsymbol|hat|bar|"
    r"tilde|vec|left|right|big|Big|bigl|bigr|displaystyle)\b\s*"
)
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(?<![\w\\])(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.M)


def _tex(formula: str) -> str:
    """A formula as plain text: fractions as a/b, symbols as Unicode, braces dropped."""
    text = formula
    for _ in range(3):  # nested roots and fractions, innermost first
        text = _SQRT.sub(lambda m: "√" + (m[1] if len(m[1]) == 1 else f"({m[1]})"), text)
        text = _FRAC.sub(r"(\1)/(\2)", text)
    text = _WRAPPERS.sub("", text)
    text = _COMMAND.sub(lambda m: _SYMBOLS.get(m.group(1), m.group(1)), text)
    text = text.replace("{", "").replace("}", "").replace("^ᵀ", "ᵀ")
    text = re.sub(r"\(([\w.]+)\)/\(([\w.]+)\)", r"\1/\2", text)  # (a)/(b) -> a/b when simple
    return re.sub(r"\s+", " ", text).strip()


def plain_text(markdown: str, limit: int = 200) -> str:
    """``markdown`` as one line of readable text, at most ``limit`` characters."""
    text = re.sub(r"^\s*(```|~~~).*$", " ", markdown, flags=re.M)  # fences; code stays
    text = _MATH.sub(lambda m: _tex(next(g for g in m.groups() if g is not None)), text)
    text = _LINK.sub(r"\1", text)
    text = text.replace("`", "")
    text = _LINE_MARK.sub("", text)
    for _ in range(2):
        text = _EMPHASIS.sub(r"\2", text)
    text = re.sub(r"<[^>]+>", "", text)  # stray HTML tags
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
