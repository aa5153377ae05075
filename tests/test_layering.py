"""The layers of src/revteam, read from the imports with `ast` (no code is run).

The bottom knows nothing of the top. The bottom is db/ (storage), events/ (the log), jobs/ (the
queue) and notify/ (the senders), in that order, with the shared config.py, errors.py and inputs.py: each
imports only itself and what `MAY_IMPORT` lists below it. The domains plug into the bottom through
revteam/wiring.py, which db/session.py's get_engine imports. notify/ may read users/ (whom to tell,
at which address): users/ is the foundation the other domains stand on and itself imports only
db/, events/ and jobs/, so this lets nothing else in. playbook/ is no part of the bottom: the log
asks it for the version in force through the wiring. A module name handed to importlib counts as
an import.

Migrations are frozen history: they import no revteam code at all, not even db/base.py's types.
No two top-level packages import each other. Handlers in web/ and api/ hold no SQL.
"""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
REVTEAM = SRC / "revteam"
MIGRATIONS = REVTEAM / "db" / "migrations" / "versions"
SHARED = {"config", "errors", "inputs"}
MAY_IMPORT = {
    "config": set(),
    "errors": set(),
    "inputs": set(),
    "db": SHARED,
    "events": {"db"} | SHARED,
    "jobs": {"db", "events"} | SHARED,
    "notify": {"db", "events", "jobs", "users"} | SHARED,
    "users": {"db", "events", "jobs"} | SHARED,
}
# Import everything by design: the table registry (every table, so the metadata and Alembic see the
# whole schema) and the wiring.
EVERYTHING = ("db/models.py", "wiring.py")
ALSO_MAY_IMPORT = {"db/session.py": {"wiring"}}  # get_engine loads the wiring: whatever opens a database is wired
SQL_CALLS = {"select", "execute", "scalar", "scalars"}
MODULE_NAME = re.compile(r"revteam(\.\w+)+")


def _name(path: Path) -> str:
    return path.relative_to(REVTEAM).as_posix()


def _unit(path: Path) -> str:
    """The top-level package (or module) of src/revteam a file belongs to."""
    parts = path.relative_to(REVTEAM).parts
    return parts[0] if len(parts) > 1 else path.stem


def _sources(*units: str) -> list[Path]:
    return sorted(path for path in REVTEAM.rglob("*.py") if not units or _unit(path) in units)


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module
    package = path.relative_to(SRC).parent.parts
    return ".".join([*package[:len(package) - node.level + 1], *([node.module] if node.module else [])])


@cache
def _nodes(path: Path) -> list[ast.AST]:
    return list(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


@cache
def _units() -> frozenset[str]:
    return frozenset(_unit(path) for path in _sources())


@cache
def _imports(path: Path) -> frozenset[str]:
    """The revteam modules a file imports: by statement, anywhere in it, or by name (a string for importlib)."""
    names = set()
    for node in _nodes(path):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            names.update([f"{module}.{alias.name}" for alias in node.names] if module == "revteam" else [module])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and MODULE_NAME.fullmatch(node.value):
            names.add(node.value)
    return frozenset(name for name in names if name.startswith("revteam."))


def _units_imported(path: Path) -> set[str]:
    """The other top-level packages (or modules) of src/revteam a file imports."""
    return {name.split(".")[1] for name in _imports(path)} & (_units() - {_unit(path)})


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_the_lower_layers_import_nothing_above_them(layer):
    wrong = {}
    for path in _sources(layer):
        above = _units_imported(path) - MAY_IMPORT[layer] - ALSO_MAY_IMPORT.get(_name(path), set())
        if above and _name(path) not in EVERYTHING:
            wrong[_name(path)] = sorted(above)
    assert wrong == {}, f"{layer}/ may import only {sorted(MAY_IMPORT[layer])}"


def test_migrations_import_no_revteam_code():
    imports = {_name(path): sorted(_imports(path)) for path in sorted(MIGRATIONS.glob("*.py"))}
    assert len(imports) >= 8
    assert {name: modules for name, modules in imports.items() if modules} == {}


@cache
def _package_graph() -> dict[str, set[str]]:
    """Which top-level package imports which (but for the two files that import everything)."""
    graph: dict[str, set[str]] = {}
    for path in _sources():
        if _name(path) not in EVERYTHING:
            graph.setdefault(_unit(path), set()).update(_units_imported(path))
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for unit in graph.get(todo.pop(), set()) - seen:
            seen.add(unit)
            todo.append(unit)
    return seen


def _cycles() -> set[frozenset[str]]:
    """Every pair of packages that import each other, directly or through others."""
    graph = _package_graph()
    reach = {unit: _reachable(graph, unit) for unit in graph}
    return {frozenset((one, other)) for one, reached in reach.items() for other in reached
            if one != other and one in reach.get(other, set())}


def test_the_import_reader_sees_imports_we_know_of():
    graph = _package_graph()
    assert {"db", "events"} <= graph["metrics"] and "events" in graph["jobs"] and "users" in graph["notify"]


def test_no_two_packages_import_each_other():
    assert sorted(map(sorted, _cycles())) == []


def _is_sql(call: ast.Call) -> bool:
    """`select(...)`, or `.select(`, `.execute(`, `.scalar(`, `.scalars(` on anything."""
    if isinstance(call.func, ast.Name):
        return call.func.id == "select"
    return isinstance(call.func, ast.Attribute) and call.func.attr in SQL_CALLS


def _sql_calls(path: Path) -> list[int]:
    return sorted(node.lineno for node in _nodes(path) if isinstance(node, ast.Call) and _is_sql(node))


@pytest.mark.parametrize("shell", ["api", "web"])
def test_handlers_hold_no_sql(shell):
    """select(), .execute(), .scalar() and .scalars() belong in the domains' query and service functions."""
    sql = {_name(path): lines for path in _sources(shell) if (lines := _sql_calls(path))}
    assert sql == {}
