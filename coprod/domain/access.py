"""Who may do what in a workshop: account roles and workshop access levels."""

from enum import StrEnum

from .errors import Forbidden, InvalidInput
from .i18n import _


class AccountRole(StrEnum):
    ADMIN = "admin"
    FACILITATOR = "facilitator"
    HELPER = "helper"
    LEAD = "lead"


# Translators: kinds of account (the accounts page, the audit trail).
ACCOUNT_ROLE_LABELS = {
    AccountRole.ADMIN: _("Administrator"),
    AccountRole.FACILITATOR: _("Facilitator"),
    AccountRole.HELPER: _("Helper"),
    AccountRole.LEAD: _("Lead"),
}


class Access(StrEnum):
    OWNER = "owner"
    FACILITATOR = "facilitator"
    HELPER = "helper"
    LEAD = "lead"


# Translators: what someone can do in one workshop (the list of who can open it).
ACCESS_LABELS = {
    Access.OWNER: _("Owner"),
    Access.FACILITATOR: _("Facilitator"),
    Access.HELPER: _("Helper"),
    Access.LEAD: _("Lead"),
}


class Action(StrEnum):
    READ = "read"  # see the workshop, its cards, results and outlines
    RUN = "run"  # phases, moderation, settings, vote rounds, outlines
    SHARE = "share"  # give other accounts access
    ENTER_FOR_PAPER = "enter_for_paper"  # add cards and votes for people without a phone
    EXPORT = "export"


ALLOWED = {
    Action.READ: {Access.OWNER, Access.FACILITATOR, Access.HELPER, Access.LEAD},
    Action.RUN: {Access.OWNER, Access.FACILITATOR},
    Action.SHARE: {Access.OWNER},
    Action.ENTER_FOR_PAPER: {Access.OWNER, Access.FACILITATOR, Access.HELPER},
    Action.EXPORT: {Access.OWNER, Access.FACILITATOR, Access.LEAD},
}

# The workshop access each kind of account may be given.
GRANTABLE = {
    AccountRole.ADMIN: {Access.FACILITATOR, Access.HELPER, Access.LEAD},
    AccountRole.FACILITATOR: {Access.FACILITATOR, Access.HELPER, Access.LEAD},
    AccountRole.HELPER: {Access.HELPER},
    AccountRole.LEAD: {Access.LEAD},
}

CAN_CREATE_WORKSHOPS = {AccountRole.ADMIN, AccountRole.FACILITATOR}

# Whole sentences, one per kind of account, so each reads right in Welsh too.
GRANT_REFUSED = {
    AccountRole.ADMIN: _("An administrator account can be given facilitator, helper or lead "
                         "access."),
    AccountRole.FACILITATOR: _("A facilitator account can be given facilitator, helper or lead "
                               "access."),
    AccountRole.HELPER: _("A helper account can only be given helper access."),
    AccountRole.LEAD: _("A lead account can only be given lead access."),
}


def allows(access: Access | None, action: Action) -> bool:
    """Whether someone with `access` to a workshop may take `action` in it."""
    return access is not None and access in ALLOWED[action]


def require(access: Access | None, action: Action) -> None:
    """Raise Forbidden unless `access` allows `action`."""
    if not allows(access, action):
        raise Forbidden(_("You do not have permission to do that in this workshop."))


def check_grant(account_role: AccountRole, access: Access) -> None:
    """Refuse to give an account more than its kind allows (a lead never runs a workshop)."""
    if access not in GRANTABLE[account_role]:
        raise InvalidInput(GRANT_REFUSED[account_role], field="access")
