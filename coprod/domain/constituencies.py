"""Stakeholder groups: results are always shown per group, so no group is outvoted."""

from .errors import InvalidInput
from .text import clean_line, split_lines

DEFAULT_CONSTITUENCIES = ("Service user or patient", "Carer", "Staff")
MAX_CONSTITUENCIES = 8


def parse_constituencies(lines: str) -> list[str]:
    """The group names from a textarea, one per line, tidy and without repeats."""
    names: list[str] = []
    for line in split_lines(lines, field="constituencies", label="The list of groups"):
        name = clean_line(line, limit="constituency", field="constituencies", label="A group name")
        if name.casefold() in (existing.casefold() for existing in names):
            raise InvalidInput(f"'{name}' is listed twice. Please list each group once.",
                               field="constituencies")
        names.append(name)
    if not names:
        raise InvalidInput("Please list at least one group, such as Carer.", field="constituencies")
    if len(names) > MAX_CONSTITUENCIES:
        raise InvalidInput(f"Please list up to {MAX_CONSTITUENCIES} groups.", field="constituencies")
    return names
