"""The shape of the code, checked from its source: the pipeline's stages import
one way (no cycle between modules, none between the stage folders), and no
module reaches into another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src" / "dxreport"
# The stage folders in pipeline order, after the foundation every stage may use.
# A folder may import only itself, the foundation and the folders before it.
FOUNDATION = {"errors", "resources", "i18n", "stablezip", "japanese", "typeset"}
STAGES = ("source", "compute", "proofread", "model", "render", "build", "cli")


def modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(tree: ast.AST, known: dict[str, Path]) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every dxreport import that
    runs: those inside functions too, not those only for type checkers."""
    found: list[tuple[str, list[str], int]] = []

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_Import(self, node: ast.Import) -> None:
            for alias in node.names:
                if alias.name.split(".")[0] == "dxreport":
                    found.append((alias.name, [], node.lineno))

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.module and node.module.split(".")[0] == "dxreport":
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    if sub in known:  # from dxreport.render import pdf: the module pdf
                        found.append((sub, [], node.lineno))
                    else:
                        found.append((node.module, [alias.name], node.lineno))

    Visitor().visit(tree)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {m for m, _, _ in _imports(ast.parse(path.read_text(encoding="utf-8")), known)} - {name}
            for name, path in known.items()}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "dxreport"


def test_no_import_cycle_between_modules():
    edges = graph()
    assert len(edges) > 30
    # Importing a package runs its __init__: an edge to every package on the way.
    full = {m: {p for d in deps for p in [".".join(d.split(".")[:i]) for i in range(2, d.count(".") + 2)]} - {m}
            for m, deps in edges.items()}
    assert _cycle(full) is None, " → ".join(_cycle(full) or [])


def test_the_stages_import_one_way():
    bad = []
    for module, deps in graph().items():
        here = _stage(module)
        if here in FOUNDATION or here in ("dxreport", "__main__"):
            allowed = FOUNDATION | {"dxreport"} | ({"cli"} if here == "__main__" else set())
        else:
            allowed = FOUNDATION | {"dxreport"} | set(STAGES[: STAGES.index(here) + 1])
        bad += [f"{module} imports {d}" for d in deps if _stage(d) not in allowed]
    assert bad == []


def test_the_foundation_imports_no_stage():
    bad = [f"{m} imports {d}" for m, deps in graph().items() if _stage(m) in FOUNDATION
           for d in deps if _stage(d) in STAGES]
    assert bad == []


def test_no_module_takes_another_modules_private_names():
    known = modules()
    bad = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for module, names, line in _imports(tree, known):
            bad += [f"{name}:{line} imports {module}.{n}" for n in names if n.startswith("_") and not n.startswith("__") and n != "_" and module != name]
        # module._name through an imported module
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dxreport"):
                for a in node.names:
                    if f"{node.module}.{a.name}" in known:
                        aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                bad.append(f"{name}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    assert bad == []


def test_the_test_sees_the_modules_it_checks():
    # A check that found no import at all could not fail.
    edges = graph()
    assert "dxreport.build.pipeline" in edges and "dxreport.build.executor" in edges["dxreport.build.pipeline"]
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
