"""Stakeholder groups: results are always shown per group, so no group is outvoted."""

from .errors import InvalidInput
from .i18n import _
from .text import clean_line, split_lines

# Suggested on the new-workshop form in the facilitator's language; once saved, a group's name
# is the workshop's own data.
DEFAULT_CONSTITUENCIES = (_("Service user or patient"), _("Carer"), _("Staff"))
MAX_CONSTITUENCIES = 8


def parse_constituencies(lines: str) -> list[str]:
    """The group names from a textarea, one per line, tidy and without repeats."""
    names: list[str] = []
    for line in split_lines(lines, field="constituencies", label=_("The list of groups")):
        name = clean_line(line, limit="constituency", field="constituencies",
                          label=_("A group name"))
        if name.casefold() in (existing.casefold() for existing in names):
            raise InvalidInput(_("'%(name)s' is listed twice. Please list each group once.",
                                 name=name), field="constituencies")
        names.append(name)
    if not names:
        raise InvalidInput(_("Please list at least one group, such as Carer."),
                           field="constituencies")
    if len(names) > MAX_CONSTITUENCIES:
        raise InvalidInput(_("Please list up to %(most)s groups.", most=MAX_CONSTITUENCIES),
                           field="constituencies")
    return names
