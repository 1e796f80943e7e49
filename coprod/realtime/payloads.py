"""JSON Schemas for what clients send; anything else is refused before a service runs."""

import fastjsonschema

from ..domain.errors import InvalidInput
from ..domain.i18n import _
from ..domain.text import LARGEST_INTEGER, UNSHOWABLE, has_lone_surrogate

# Every integer fits the database's INTEGER (ids 1..2**31 - 1), so none overflows a query.
MAX_INT = LARGEST_INTEGER
_ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
_COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_INT}
_OPTIONAL_ID = {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_INT}
_OPTIONAL_NUMBER = {"type": ["integer", "null"], "minimum": -MAX_INT, "maximum": MAX_INT}
_IN_RANGE = {"minimum": -MAX_INT, "maximum": MAX_INT}  # numbers only: other types pass
_NUMBERS_IN_RANGE = {"additionalProperties": _IN_RANGE}  # an object's numbers, if an object
_CID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"}
_TEXT = {"type": "string", "maxLength": 2000}  # generous: the services give the real limits


def _object(required: dict, optional: dict | None = None) -> dict:
    return {"type": "object", "properties": {**required, **(optional or {})},
            "required": list(required), "additionalProperties": False}


SCHEMAS = {
    "connect": _object({"workshop": _ID, "view": {"enum": ["phone", "projector", "console"]}},
                       {"last_seq": _COUNT}),
    "sync": _object({}, {"last_seq": _COUNT}),
    "card:add": _object({"cid": _CID, "kind": {"type": "string"}, "text": _TEXT},
                        {"role_id": _OPTIONAL_ID}),
    "card:edit": _object({"card_id": _ID, "text": _TEXT}),
    "card:translate": _object({"card_id": _ID, "text": _TEXT}),
    "card:hide": _object({"card_id": _ID, "reason": _TEXT}),
    "card:show": _object({"card_id": _ID}),
    "participant:forget": _object({"participant_id": _ID}),
    "participant:remove": _object({"participant_id": _ID}),
    "room:lock": _object({"locked": {"type": "boolean"}}),
    "phase:set": _object({"phase": {"type": "string", "maxLength": 20}}),
    "countdown:set": _object({"minutes": {"type": "integer", **_IN_RANGE}}),
    "wall:page": _object({"action": {"type": "string", "maxLength": 20}}),
    "card:merge": _object({"source_id": _ID, "target_id": _ID}),
    "merge:undo": _object({"merge_id": _ID}),
    "round:open": _object({"mode": {"enum": ["dots", "agree"]}},
                          {"budget": _OPTIONAL_NUMBER,
                           "max_per_card": _OPTIONAL_NUMBER,
                           "hide_until_reveal": {"type": "boolean"},
                           "role_id": _OPTIONAL_ID}),
    "round:close": _object({"round_id": _ID}),
    "round:reveal": _object({"round_id": _ID}),
    "outline:open": _object({"role_id": _ID}),
    "outline:change": _object({"role_id": _ID, "base_version": _ID,
                               "operation": {"type": "object", "maxProperties": 8,
                                             "required": ["kind"],
                                             "properties": {"kind": {"type": "string",
                                                                     "maxLength": 20},
                                                            "changes": _NUMBERS_IN_RANGE},
                                             # the operation's own fields are checked by the
                                             # outline rules; any number must still fit
                                             "additionalProperties": _IN_RANGE}}),
    "outline:draft": _object({"role_id": _ID, "base_version": _ID}),
    "outline:sign": _object({"role_id": _ID, "version": _ID},
                            {"note": {"type": ["string", "null"], "maxLength": 2000}}),
    "outline:show": _object({"role_id": _OPTIONAL_ID}),
    "vote:set": _object({"cid": _CID, "round_id": _ID, "card_id": _ID,
                         "value": {"type": ["integer", "string", "null"], "maxLength": 10,
                                   "minimum": -MAX_INT, "maximum": MAX_INT}}),
}

# Compiled to plain Python once: every vote is checked, so checking must cost microseconds.
_VALIDATORS = {name: fastjsonschema.compile(schema) for name, schema in SCHEMAS.items()}
NOT_UNDERSTOOD = _("We could not read that request. Please reload the page and try again.")


def parse(event: str, payload) -> dict:
    """The payload if it fits the event's schema, or InvalidInput naming the first bad field."""
    try:
        _VALIDATORS[event](payload)
    except fastjsonschema.JsonSchemaValueException as error:
        field = next((str(part) for part in error.path[1:]), None)  # path[0] is the payload
        raise InvalidInput(NOT_UNDERSTOOD, field=field) from None
    field = _field_with_lone_surrogate(payload)
    if field is not None:
        raise InvalidInput(UNSHOWABLE, field=field or None)
    return payload


def _field_with_lone_surrogate(value, field: str = ""):
    """The innermost field holding a lone surrogate in a string or a key ("" when the payload
    itself is one), else None: refused here, before any service, log or database sees it."""
    if isinstance(value, str):
        return field if has_lone_surrogate(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if has_lone_surrogate(key):
                return field  # a key is not named back: it is the unreadable part
            found = _field_with_lone_surrogate(item, key)
            if found is not None:
                return found
    elif isinstance(value, list):
        return next((found for item in value
                     if (found := _field_with_lone_surrogate(item, field)) is not None), None)
    return None
