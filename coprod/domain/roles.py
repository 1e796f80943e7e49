"""The roles a workshop designs, and the three templates from the Hywel Dda project."""

from dataclasses import dataclass

from .errors import InvalidInput
from .i18n import Message, _
from .text import clean_line


@dataclass(frozen=True)
class RoleTemplate:
    """A role to start from; its wording is marked, so a role added in Welsh starts in Welsh."""

    key: str
    title: Message
    setting: Message
    purpose: Message


# Phrased for coprod; the three roles are those the Bevan Exemplar project outlined for a
# community mental health centre.
ROLE_TEMPLATES = (
    RoleTemplate(
        key="navigator",
        title=_("Navigator"),
        setting=_("Community mental health centre"),
        purpose=_("Helps people and carers find their way through services and local support, "
                  "so nobody has to tell their story many times."),
    ),
    RoleTemplate(
        key="hca",
        title=_("Healthcare Assistant"),
        setting=_("Community mental health centre"),
        purpose=_("Gives practical, day-to-day care and support under the guidance of "
                  "registered staff, so people feel safe and listened to."),
    ),
    RoleTemplate(
        key="cmhc_nurse",
        title=_("Nurse in Community Mental Health Centre"),
        setting=_("Community mental health centre"),
        purpose=_("Assesses, plans and reviews care with people and their carers, and leads the "
                  "clinical care only a registered nurse can give."),
    ),
)

TEMPLATES_BY_KEY = {template.key: template for template in ROLE_TEMPLATES}
MAX_ROLES = 10


@dataclass(frozen=True)
class RoleInput:
    title: str
    setting: str
    purpose: str
    template_key: str | None = None


def role_from_template(key: str) -> RoleInput:
    """The role a template describes, in the reader's language, ready to be added to a workshop."""
    try:
        template = TEMPLATES_BY_KEY[key]
    except KeyError:
        raise InvalidInput(_("We do not have a template with that name."),
                           field="template") from None
    return RoleInput(str(template.title), str(template.setting), str(template.purpose),
                     template.key)


def clean_role(title, setting, purpose, template_key=None) -> RoleInput:
    """A role typed by the facilitator, checked and tidied."""
    return RoleInput(
        title=clean_line(title, limit="role_title", field="title", label=_("Role title")),
        setting=clean_line(setting, limit="role_setting", field="setting", label=_("Setting"),
                           required=False),
        purpose=clean_line(purpose, limit="role_purpose", field="purpose", label=_("Purpose"),
                           required=False),
        template_key=template_key if template_key in TEMPLATES_BY_KEY else None,
    )
