"""A project's record as JSON, valid against docs/project-export.schema.json."""

import json


def render(document: dict) -> bytes:
    """The project export document as UTF-8 JSON."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
