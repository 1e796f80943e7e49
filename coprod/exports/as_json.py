"""JSON export: the document as it is, valid against docs/export.schema.json."""

import json


def render(document: dict) -> bytes:
    """The export document as UTF-8 JSON."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
