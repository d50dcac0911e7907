"""The package's import graph: no cycle, no layer importing a higher one, no stage reaching into another's modules.

Every `import` statement counts, also those inside functions (imported late to save start-up
time, they are dependencies all the same); only those under `if TYPE_CHECKING:` do not, as
they never run. The layers follow the pipeline of STYLE.md:
the shared vocabulary at the bottom, then the readers of the user's files, the corpus, the
stages (select -> parse -> compose -> transforms), the writers and the output, the API and the
command line on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "reegen"

#: lowest first; a module belongs to the layer of the longest name here that it is, or lies inside
LAYERS = (
    # the shared vocabulary and plumbing: what every stage may use
    ("reegen.errors", "reegen.model", "reegen.text", "reegen.claims", "reegen.collector", "reegen.cache",
     "reegen.formats", "reegen.output", "reegen.machine", "reegen.__version__"),
    # readers of the user's files: Markdown, specs and their YAML, templates, the project settings, figures in text
    ("reegen.markdown", "reegen.figures", "reegen.spec", "reegen.templating", "reegen.project"),
    # the corpus: article files (their front matter read with the spec's YAML reader), and making them
    ("reegen.corpus", "reegen.ingest"),
    # the stages of a build, in their order
    ("reegen.select", "reegen.parse", "reegen.renders", "reegen.compose", "reegen.transforms"),
    # bytes out (their files are written by `reegen.output`, plumbing shared with ingest)
    ("reegen.writers",),
    # the library's entry points and what drives them (`stale`: outputs of formats no longer asked for;
    # `preview`: the live preview server)
    ("reegen.api", "reegen.incremental", "reegen.batch", "reegen.watch", "reegen.scaffold", "reegen.stale",
     "reegen.preview", "reegen"),
    # the command line
    ("reegen.cli", "reegen.__main__"),
)
#: packages whose modules are theirs: the stages use what their `__init__` exports
PACKAGES = ("reegen.corpus", "reegen.spec", "reegen.transforms", "reegen.writers", "reegen.ingest")
#: the stages of a build and the packages they are made of, which use each other only through those exports;
#: what drives them (the project settings, the API, the command line, `reegen init`) may import one module of a
#: package alone, to start quickly
STAGES = ("reegen.corpus", "reegen.spec", "reegen.transforms", "reegen.writers", "reegen.ingest", "reegen.select",
          "reegen.parse", "reegen.renders", "reegen.compose", "reegen.markdown", "reegen.figures", "reegen.templating")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Return the reegen modules the module `name` at `path` imports (anywhere in it)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # `from . import x` names a module when x is one; otherwise it names something in `base`
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            if base == "reegen" and all(a.name == "__version__" for a in node.names):
                targets = ["reegen.__version__"]  # the version string, not the public API behind it
        else:
            continue
        for target in targets:
            if target.split(".")[0] != "reegen":
                continue
            while target not in known and target != "reegen.__version__" and "." in target:
                target = target.rpartition(".")[0]
            if target != name:
                out.add(target)
    return out


def _runtime_nodes(tree: ast.AST):
    """Yield every node of `tree` but those under `if TYPE_CHECKING:` (names for annotations, never imported)."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
            yield from (n for orelse in child.orelse for n in ast.walk(orelse))
            continue
        yield child
        yield from _runtime_nodes(child)


def layer_of(name: str) -> int:
    best = None
    for index, names in enumerate(LAYERS):
        for prefix in names:
            if name == prefix or name.startswith(prefix + ".") and prefix != "reegen":
                if best is None or len(prefix) > len(best[1]):
                    best = (index, prefix)
    if best is None:
        pytest.fail(f"module {name} is in no layer: add it to LAYERS in {Path(__file__).name}")
    return best[0]


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def test_the_graph_is_read_from_the_real_package(graph):
    # A parser that found nothing would pass every check below.
    assert len(graph) > 60
    assert "reegen.parse" in graph["reegen.api"] and "reegen.corpus" in graph["reegen.parse"]


def test_no_module_imports_one_that_imports_it_back(graph):
    """Issue 23: corpus/article.py and corpus/parse.py imported each other."""
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_layer_imports_a_higher_one(graph):
    wrong = [f"{name} (layer {layer_of(name)}) imports {target} (layer {layer_of(target)})"
             for name, targets in graph.items() for target in targets if layer_of(target) > layer_of(name)]
    assert not wrong, "\n".join(wrong)


def test_no_stage_reaches_into_another_stages_modules(graph):
    """Issue 23: corpus read `spec.load`, renders read `corpus.bodies`: each now uses the package's exports."""
    wrong = []
    for name, targets in graph.items():
        if not any(name == stage or name.startswith(stage + ".") for stage in STAGES):
            continue
        for target in targets:
            for package in PACKAGES:
                inside = target.startswith(package + ".")
                if inside and not (name == package or name.startswith(package + ".")):
                    wrong.append(f"{name} imports {target}: use what {package} exports")
    assert not wrong, "\n".join(wrong)


def test_the_checks_catch_what_they_are_for(tmp_path):
    known = {"reegen.corpus": Path("x"), "reegen.corpus.parse": Path("y"), "reegen.spec": Path("z"),
             "reegen.spec.load": Path("w")}
    probe = tmp_path / "parse.py"
    probe.write_text("from ..spec.load import parse_yaml\nfrom . import parse\n", encoding="utf-8")
    found = imports("reegen.corpus.parse", probe, known)
    assert found == {"reegen.spec.load"}  # the module itself is no dependency
    assert layer_of("reegen.corpus.parse") > layer_of("reegen.spec.load") > layer_of("reegen.model")
    assert layer_of("reegen.cli.build") == len(LAYERS) - 1


def test_no_two_public_classes_share_a_name():
    """Issue 23: ingest's draft section and the corpus's section were both `Section`."""
    where: dict[str, list[str]] = {}
    for name, path in modules().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                where.setdefault(node.name, []).append(name)
    assert where["Section"] == ["reegen.corpus.article"]
    assert not {k: v for k, v in where.items() if len(v) > 1}
