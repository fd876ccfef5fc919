"""Rules a statement makes about the learner's code itself ("no scipy", "no division").

Why the AST and not a text pattern: a pattern for ``/`` is passed by ``divmod``, a pattern for
``scipy`` by ``__import__("sci" "py")`` (adjacent literals are one constant in the AST) or by
``import scipy as s``. This reads the source in the trusted judge process (``ctx.source``), never
by asking the learner's process, and resolves names through the code's own imports and simple
assignments, so an alias is judged by what it names.

What it catches:

- a forbidden module (and its submodules) reached by ``import m``, ``import m.sub as x``,
  ``from m import sub``, ``from m.sub import f``, ``__import__("m")``,
  ``importlib.import_module("m.sub")``, ``getattr(np, "linalg")``, an alias assigned from any of
  these (``la = np.linalg``), or a string constant naming it (``sys.modules["scipy"]``);
- a forbidden name: bare (``"ttest_1samp"``: any attribute, name, imported name or string
  constant spelled so) or qualified (``"numpy.polyfit"``: resolved through the aliases);
- a forbidden operator: ``/``, ``//``, ``%``, ``**``, ``@`` as binary or augmented operators,
  plus the functions and methods that do the same (``operator.truediv``, ``np.divide``,
  ``x.__truediv__``, ``torch.div``; ``x ** -1`` counts as division), and ``divmod``;
- dynamic code that a reader cannot judge, whenever any rule is given: ``eval``, ``exec``,
  ``compile``, ``__import__`` / ``import_module`` with a computed name, ``getattr`` with a
  computed name on a module, ``sys.modules``, ``__builtins__``, ``vars()``/``globals()``.

What it does not catch (a deterrent against shortcuts, not a sandbox; the learner's process is
confined separately): modules reached through objects (``np.ndarray.__module__`` games, a pickle,
``type(x).__mro__``), arithmetic rewritten by hand (``exp(-log(x))`` for ``1/x``), names built
through objects other than modules (``getattr(some_array, name)``), and re-implementing a
forbidden function line by line, which is allowed anyway.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from typing import Any

from studyapp.core.drills.sandbox.asserts import JudgeFailure

__all__ = ["CLOSED_FORM", "OPERATOR_ALIASES", "check_source_rules", "forbidden"]

#: Modules and functions that solve a least-squares problem in one call, for "no closed form".
CLOSED_FORM: tuple[str, ...] = (
    "numpy.linalg",
    "numpy.polyfit",
    "numpy.polynomial",
    "numpy.matrix",
    "scipy",
    "sklearn",
    "torch.linalg",
    "torch.inverse",
    "torch.pinverse",
)

#: What else performs each operator: qualified functions and bare method/dunder names.
OPERATOR_ALIASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "/": (
        (
            "operator.truediv",
            "operator.itruediv",
            "numpy.divide",
            "numpy.true_divide",
            "numpy.reciprocal",
            "torch.div",
            "torch.divide",
            "torch.true_divide",
            "torch.reciprocal",
            "math.remainder",
            "fractions.Fraction",
        ),
        (
            "__truediv__",
            "__rtruediv__",
            "__itruediv__",
            "div",
            "div_",
            "divide",
            "divide_",
            "true_divide",
            "true_divide_",
            "reciprocal",
            "reciprocal_",
        ),
    ),
    "//": (
        (
            "operator.floordiv",
            "operator.ifloordiv",
            "numpy.floor_divide",
            "numpy.divmod",
            "torch.floor_divide",
        ),
        ("__floordiv__", "__rfloordiv__", "__ifloordiv__", "floor_divide", "floor_divide_"),
    ),
    "%": (
        (
            "operator.mod",
            "operator.imod",
            "numpy.mod",
            "numpy.remainder",
            "numpy.fmod",
            "numpy.divmod",
            "math.fmod",
            "math.remainder",
            "torch.remainder",
            "torch.fmod",
        ),
        ("__mod__", "__rmod__", "__imod__", "remainder", "remainder_", "fmod", "fmod_"),
    ),
    "**": (
        (
            "operator.pow",
            "operator.ipow",
            "numpy.power",
            "numpy.float_power",
            "math.pow",
            "torch.pow",
            "torch.float_power",
        ),
        ("__pow__", "__rpow__", "__ipow__", "pow", "pow_", "float_power"),
    ),
    "@": (
        (
            "operator.matmul",
            "operator.imatmul",
            "numpy.matmul",
            "numpy.dot",
            "numpy.inner",
            "numpy.einsum",
            "numpy.tensordot",
            "torch.matmul",
            "torch.mm",
            "torch.bmm",
        ),
        ("__matmul__", "__rmatmul__", "__imatmul__", "matmul", "dot", "mm", "bmm"),
    ),
}

_BINOPS: dict[type[ast.operator], str] = {
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
}

_DYNAMIC_CALLS = {"eval", "exec", "compile", "globals", "vars", "locals", "__build_class__"}
_DYNAMIC_NAMES = {"__builtins__", "__loader__", "__spec__"}
_IMPORTERS = {"builtins.__import__", "importlib.import_module", "importlib.__import__"}


def _constant_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Aliases:
    """Local name -> the dotted name it stands for, from imports and simple assignments
    anywhere in the file (flow-insensitive: a name bound to a module once counts everywhere)."""

    def __init__(self, tree: ast.AST) -> None:
        self.names: dict[str, str] = {"__import__": "builtins.__import__"}
        for _ in range(3):  # a few rounds so `a = np; b = a.linalg` resolves
            for node in ast.walk(tree):
                self._learn(node)

    def _learn(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    self.names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = self.resolve(node.value) if node.value is not None else None
            for target in targets:
                if value and isinstance(target, ast.Name):
                    self.names[target.id] = value

    def resolve(self, node: ast.AST) -> str | None:
        """The dotted name an expression stands for, when the code says it plainly."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call) and node.args:
            function = self.resolve(node.func)
            first = _constant_str(node.args[0])
            if function in _IMPORTERS and first:
                return first if function == "importlib.import_module" else first.split(".")[0]
            if function == "builtins.getattr" or (
                isinstance(node.func, ast.Name) and node.func.id == "getattr"
            ):
                base = self.resolve(node.args[0])
                name = _constant_str(node.args[1]) if len(node.args) > 1 else None
                return f"{base}.{name}" if base and name else None
        return None


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


class _Checker:
    def __init__(
        self,
        tree: ast.AST,
        modules: Sequence[str],
        names: Sequence[str],
        operators: Sequence[str],
    ) -> None:
        self.aliases = _Aliases(tree)
        self.modules = tuple(modules)
        self.bare = {n for n in names if "." not in n}
        self.qualified = [n for n in names if "." in n]
        self.operators = {op for op in operators if op in _BINOPS.values()}
        self.bare |= {op for op in operators if op.isidentifier()}
        self.method_ops: dict[str, str] = {}
        for op in sorted(self.operators):
            qualified, methods = OPERATOR_ALIASES[op]
            self.qualified += list(qualified)
            self.method_ops.update(dict.fromkeys(methods, op))
        self.found: dict[tuple[int, str], str] = {}

    def note(self, node: ast.AST, key: str, message: str) -> None:
        line = getattr(node, "lineno", 0)
        self.found.setdefault((line, key), f"line {line}: {message}")

    def dotted(self, node: ast.AST, full: str) -> None:
        """Judge one resolved dotted name (an import, an attribute chain, getattr)."""
        for module in self.modules:
            if _under(full, module):
                self.note(node, module, f"uses {module} ({full}), which this exercise forbids")
        for name in self.qualified:
            if _under(full, name):
                what = self._what(name)
                self.note(node, name, f"uses {full}{what}, which this exercise forbids")

    def _what(self, qualified: str) -> str:
        for op, (names, _) in OPERATOR_ALIASES.items():
            if op in self.operators and qualified in names:
                return f" (the {op} operator by another name)"
        return ""

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.dotted(node, alias.name)
                self._bare(node, alias.name.split(".")[-1])
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            self.dotted(node, node.module)
            for alias in node.names:
                if alias.name != "*":
                    self.dotted(node, f"{node.module}.{alias.name}")
                    self._bare(node, alias.name)
        elif isinstance(node, ast.BinOp | ast.AugAssign):
            self._operator(node)
        elif isinstance(node, ast.Attribute | ast.Name | ast.Call):
            self._reference(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            self._string(node, node.value)

    def _operator(self, node: ast.BinOp | ast.AugAssign) -> None:
        op = _BINOPS.get(type(node.op))
        if op in self.operators:
            self.note(node, op, f"uses the {op} operator, which this exercise forbids")
        elif op == "**" and "/" in self.operators and isinstance(node, ast.BinOp):
            right = node.right
            if isinstance(right, ast.UnaryOp) and isinstance(right.op, ast.USub):
                self.note(node, "/", "divides (the / operator) as a power ** -…")

    def _reference(self, node: ast.Attribute | ast.Name | ast.Call) -> None:
        full = self.aliases.resolve(node)
        if full:
            self.dotted(node, full)
        if isinstance(node, ast.Attribute):
            self._bare(node, node.attr)
            if node.attr in self.method_ops:
                op = self.method_ops[node.attr]
                self.note(node, op, f"calls .{node.attr}, the {op} operator by another name")
            if node.attr in ("__dict__", "modules") and self._dynamic_enabled():
                base = self.aliases.resolve(node.value)
                if base and (node.attr == "__dict__" or base == "sys"):
                    self.note(node, "dynamic", f"reads {base}.{node.attr}, which hides names")
        elif isinstance(node, ast.Name):
            self._bare(node, node.id)
            if node.id in _DYNAMIC_NAMES and self._dynamic_enabled():
                self.note(node, "dynamic", f"uses {node.id}, which hides names from this check")
        else:
            self._call(node)

    def _call(self, node: ast.Call) -> None:
        if not self._dynamic_enabled():
            return
        function = self.aliases.resolve(node.func)
        name = node.func.id if isinstance(node.func, ast.Name) else None
        first = node.args[0] if node.args else None
        if name in _DYNAMIC_CALLS:
            self.note(node, "dynamic", f"calls {name}(), whose code this check cannot read")
        elif function in _IMPORTERS and _constant_str(first) is None:
            self.note(node, "dynamic", "imports a module whose name is computed")
        elif self._computed_getattr(node, name):
            self.note(node, "dynamic", "getattr with a computed name on a module")

    def _computed_getattr(self, node: ast.Call, name: str | None) -> bool:
        if name != "getattr" or len(node.args) < 2 or _constant_str(node.args[1]) is not None:
            return False
        return self.aliases.resolve(node.args[0]) is not None

    def _bare(self, node: ast.AST, name: str) -> None:
        if name in self.bare:
            self.note(node, name, f"uses {name}, which this exercise forbids")

    def _string(self, node: ast.AST, text: str) -> None:
        if not all(part.isidentifier() for part in text.split(".")):
            return  # prose (a docstring), not a name
        self._bare(node, text)
        for module in self.modules:
            if _under(text, module):
                self.note(node, module, f"names the module {text!r}, which this exercise forbids")

    def _dynamic_enabled(self) -> bool:
        return bool(self.modules or self.bare or self.qualified or self.operators)


def forbidden(
    source: str,
    *,
    modules: Iterable[str] = (),
    names: Iterable[str] = (),
    operators: Iterable[str] = (),
    closed_form: bool = False,
) -> list[str]:
    """Messages ``"line N: …"`` for each use of what the rules forbid, in source order.

    ``modules``: dotted module names, forbidden with their submodules (``"scipy"``,
    ``"scipy.special"``). ``names``: bare (``"ttest_1samp"``) or qualified
    (``"numpy.polyfit"``). ``operators``: any of ``/ // % ** @`` and builtin names such as
    ``"divmod"``. ``closed_form``: also forbid :data:`CLOSED_FORM` (one-call least squares).
    An empty list means none was found.
    """
    modules = list(modules)
    names = list(names)
    if closed_form:
        modules += CLOSED_FORM
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return [f"line {exc.lineno}: the source does not parse ({exc.msg})"]
    checker = _Checker(tree, modules, names, list(operators))
    for node in ast.walk(tree):
        checker.visit(node)
    return [checker.found[key] for key in sorted(checker.found)]


def check_source_rules(ctx: Any, *, rule: str, **rules: Any) -> None:
    """Fail the test when the learner's source (``ctx.source``) breaks a rule of the statement.

    ``rule`` is the statement's own words ("numpy only, no scipy"), shown first; ``rules`` are
    :func:`forbidden`'s keyword arguments.
    """
    messages = forbidden(getattr(ctx, "source", "") or "", **rules)
    if messages:
        lines = "\n".join(f"  {m}" for m in messages)
        raise JudgeFailure(f"The statement says: {rule}. Your code breaks it:\n{lines}")
