"""The roles a workshop designs, and the three templates from the Hywel Dda project."""

from dataclasses import dataclass

from .errors import InvalidInput
from .text import clean_line


@dataclass(frozen=True)
class RoleTemplate:
    key: str
    title: str
    setting: str
    purpose: str


# Phrased for coprod; the three roles are those the Bevan Exemplar project outlined for a
# community mental health centre.
ROLE_TEMPLATES = (
    RoleTemplate(
        key="navigator",
        title="Navigator",
        setting="Community mental health centre",
        purpose="Helps people and carers find their way through services and local support, "
        "so nobody has to tell their story many times.",
    ),
    RoleTemplate(
        key="hca",
        title="Healthcare Assistant",
        setting="Community mental health centre",
        purpose="Gives practical, day-to-day care and support under the guidance of registered "
        "staff, so people feel safe and listened to.",
    ),
    RoleTemplate(
        key="cmhc_nurse",
        title="Nurse in Community Mental Health Centre",
        setting="Community mental health centre",
        purpose="Assesses, plans and reviews care with people and their carers, and leads the "
        "clinical care only a registered nurse can give.",
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
    """The role a template describes, ready to be added to a workshop."""
    try:
        template = TEMPLATES_BY_KEY[key]
    except KeyError:
        raise InvalidInput("We do not have a template with that name.", field="template") from None
    return RoleInput(template.title, template.setting, template.purpose, template.key)


def clean_role(title, setting, purpose, template_key=None) -> RoleInput:
    """A role typed by the facilitator, checked and tidied."""
    return RoleInput(
        title=clean_line(title, limit="role_title", field="title", label="Role title"),
        setting=clean_line(setting, limit="role_setting", field="setting", label="Setting",
                           required=False),
        purpose=clean_line(purpose, limit="role_purpose", field="purpose", label="Purpose",
                           required=False),
        template_key=template_key if template_key in TEMPLATES_BY_KEY else None,
    )
