"""The layers docs/architecture.md describes, held by checks rather than by a sentence.

`lint-imports` checks the contracts in pyproject.toml (`make test` runs it too); the tests below
make a plain `pytest` run enforce them, show that a broken layer really fails, and check what
import-linter cannot see (new modules a contract must list).
"""

import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

import coprod

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(coprod.__file__).parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=project,
                          capture_output=True, text=True, timeout=120)


def contract(name_starts: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["name"].startswith(name_starts))


def test_every_layer_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_framework_import_in_the_domain_breaks_the_contract(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(PACKAGE, copy / "coprod", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy)
    rules = copy / "coprod" / "domain" / "text.py"
    rules.write_text(rules.read_text() + "\nfrom flask import current_app  # noqa\n")
    result = lint_imports(copy)
    assert result.returncode == 1
    assert "coprod.domain is not allowed to import flask" in result.stdout
    assert "coprod.domain.text -> flask" in result.stdout


def outside_imports(layer: str) -> set[str]:
    """Every module a layer imports directly, other than its own."""
    graph = grimp.build_graph("coprod", include_external_packages=True, cache_dir=None)
    inside = {layer, *graph.find_descendants(layer)}
    return {module for importer in inside
            for module in graph.find_modules_directly_imported_by(importer)} - inside


def not_standard(modules: set[str]) -> set[str]:
    return {module for module in modules if module.split(".")[0] not in sys.stdlib_module_names}


def test_the_domain_imports_only_the_standard_library():
    imported = outside_imports("coprod.domain")
    assert {"enum", "unicodedata"} <= imported  # the graph does see the domain's own imports
    assert not_standard(imported) == set()


def test_models_import_only_sqlalchemy_and_the_plain_domain():
    # A forbidden list names what it forbids; this names what is allowed, so a new dependency
    # cannot slip in. Known violations are the ones pyproject.toml lists (and reports) itself.
    known = {rule.split(" -> ")[1] for rule in contract("Models").get("ignore_imports", [])}
    imported = not_standard(outside_imports("coprod.models"))
    assert "sqlalchemy" in imported
    assert {module for module in imported - known
            if module != "sqlalchemy" and not module.startswith("coprod.domain")} == set()


def top_level_modules() -> set[str]:
    return {f"coprod.{module.name}" for module in pkgutil.iter_modules([str(PACKAGE)])}


def test_the_domain_and_models_contracts_name_every_other_coprod_module():
    # A forbidden contract lists what is forbidden, so a new module would slip past unnoticed.
    modules = top_level_modules()
    assert {"coprod.domain", "coprod.models", "coprod.web"} <= modules
    domain = set(contract("The domain")["forbidden_modules"])
    assert modules - {"coprod.domain"} <= domain
    models = set(contract("Models")["forbidden_modules"])
    assert modules - {"coprod.domain", "coprod.models"} <= models
