"""The packages keep to their layers: data flows one way, from the content file to the
commands, and no package imports one above it (the contract is in pyproject.toml)."""

from __future__ import annotations

import tomllib

import pytest
from importlinter.cli import lint_imports

from presskit.assets.resources import PROJECT_DIR


def test_no_package_imports_one_above_it(capsys: pytest.CaptureFixture[str]) -> None:
    status = lint_imports(
        config_filename=str(PROJECT_DIR / "pyproject.toml"), no_cache=True, no_logo=True
    )
    assert status == 0, capsys.readouterr().out


def test_every_module_lies_in_a_layer() -> None:
    """A module left beside the packages would escape the contract."""
    config = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    layers = {name.strip() for line in contract["layers"] for name in line.split("|")}
    package = PROJECT_DIR / "src" / "presskit"
    loose = {
        path.stem if path.is_file() else path.name
        for path in package.iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").is_file())
        and path.name not in {"__init__.py", "__main__.py"}
    }
    assert loose - layers == set()
    assert layers - loose == set()


def function_sizes() -> dict[str, int]:
    """Each function's lines, from its ``def`` line to its last, docstring included
    (nested functions too), by ``path:line name``."""
    import ast

    sizes = {}
    for path in sorted((PROJECT_DIR / "src" / "presskit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                sizes[f"{path.name}:{node.lineno} {node.name}"] = node.end_lineno - node.lineno + 1
    return sizes


def test_functions_stay_small_enough_to_read_at_a_glance() -> None:
    """Median 6 lines, nine in ten within 20, none over 50 (the guide's development
    page): a long function is a list of steps waiting for their names."""
    import statistics

    sizes = function_sizes()
    long = {name: size for name, size in sizes.items() if size > 50}
    assert not long
    assert statistics.median(sizes.values()) <= 6
    assert statistics.quantiles(sizes.values(), n=10)[8] <= 20
