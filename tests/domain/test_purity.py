"""The domain package stays plain Python, so its rules can be tested fast and alone."""

import ast
from pathlib import Path

import coprod.domain

FORBIDDEN = ("flask", "flask_socketio", "flask_sqlalchemy", "flask_login", "flask_wtf",
             "sqlalchemy", "socketio", "engineio", "wtforms", "eventlet", "gevent")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 1:
            names.add("coprod." + (node.module or ""))  # reaching outside the domain package
    return names


def test_domain_imports_no_framework():
    domain = Path(coprod.domain.__file__).parent
    files = sorted(domain.glob("**/*.py"))
    assert len(files) > 5
    offenders = {
        str(path.relative_to(domain)): sorted(name for name in imported_modules(path)
                                              if name.split(".")[0] in FORBIDDEN
                                              or name.startswith("coprod."))
        for path in files
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_catches_a_framework_import(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from flask import current_app\nimport sqlalchemy.orm\nfrom ..models import Card\n")
    assert {"flask", "sqlalchemy.orm", "coprod.models"} <= imported_modules(sneaky)
