"""JSON Schemas for what clients send; anything else is refused before a service runs."""

import fastjsonschema

from ..domain.errors import InvalidInput

_ID = {"type": "integer", "minimum": 1}
_CID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"}
_TEXT = {"type": "string", "maxLength": 2000}  # generous: the services give the real limits


def _object(required: dict, optional: dict | None = None) -> dict:
    return {"type": "object", "properties": {**required, **(optional or {})},
            "required": list(required), "additionalProperties": False}


SCHEMAS = {
    "connect": _object({"workshop": _ID, "view": {"enum": ["phone", "projector", "console"]}},
                       {"last_seq": {"type": "integer", "minimum": 0}}),
    "sync": _object({}, {"last_seq": {"type": "integer", "minimum": 0}}),
    "card:add": _object({"cid": _CID, "kind": {"type": "string"}, "text": _TEXT},
                        {"role_id": {"type": ["integer", "null"]}}),
    "card:edit": _object({"card_id": _ID, "text": _TEXT}),
    "card:hide": _object({"card_id": _ID, "reason": _TEXT}),
    "card:show": _object({"card_id": _ID}),
    "participant:forget": _object({"participant_id": _ID}),
    "phase:set": _object({"phase": {"type": "string", "maxLength": 20}}),
    "countdown:set": _object({"minutes": {"type": "integer"}}),
    "wall:page": _object({"action": {"type": "string", "maxLength": 20}}),
    "card:merge": _object({"source_id": _ID, "target_id": _ID}),
    "merge:undo": _object({"merge_id": _ID}),
    "round:open": _object({"mode": {"enum": ["dots", "agree"]}},
                          {"budget": {"type": ["integer", "null"]},
                           "max_per_card": {"type": ["integer", "null"]},
                           "hide_until_reveal": {"type": "boolean"},
                           "role_id": {"type": ["integer", "null"]}}),
    "round:close": _object({"round_id": _ID}),
    "round:reveal": _object({"round_id": _ID}),
    "outline:open": _object({"role_id": _ID}),
    "outline:change": _object({"role_id": _ID, "base_version": _ID,
                               "operation": {"type": "object", "maxProperties": 8,
                                             "required": ["kind"],
                                             "properties": {"kind": {"type": "string",
                                                                     "maxLength": 20}}}}),
    "outline:draft": _object({"role_id": _ID, "base_version": _ID}),
    "outline:sign": _object({"role_id": _ID, "version": _ID},
                            {"note": {"type": ["string", "null"], "maxLength": 2000}}),
    "outline:show": _object({"role_id": {"type": ["integer", "null"], "minimum": 1}}),
    "vote:set": _object({"cid": _CID, "round_id": _ID, "card_id": _ID,
                         "value": {"type": ["integer", "string", "null"], "maxLength": 10}}),
}

# Compiled to plain Python once: every vote is checked, so checking must cost microseconds.
_VALIDATORS = {name: fastjsonschema.compile(schema) for name, schema in SCHEMAS.items()}
NOT_UNDERSTOOD = "We could not read that request. Please reload the page and try again."


def parse(event: str, payload) -> dict:
    """The payload if it fits the event's schema, or InvalidInput naming the first bad field."""
    try:
        _VALIDATORS[event](payload)
    except fastjsonschema.JsonSchemaValueException as error:
        field = next((str(part) for part in error.path[1:]), None)  # path[0] is the payload
        raise InvalidInput(NOT_UNDERSTOOD, field=field) from None
    return payload
