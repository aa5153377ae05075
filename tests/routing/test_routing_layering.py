"""Routing decides and the lead flow moves: leads import routing, never the reverse."""

import ast
from pathlib import Path

import revteam.routing

ROUTING = Path(revteam.routing.__file__).parent


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return names | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}


def test_no_routing_module_imports_lead_code():
    offenders = {path.name: sorted(name for name in _imported(path) if name.startswith("revteam.leads"))
                 for path in sorted(ROUTING.rglob("*.py"))}
    assert {name: found for name, found in offenders.items() if found} == {}
