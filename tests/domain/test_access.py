import pytest

from coprod.domain.access import Access, AccountRole, Action, allows, check_grant, require
from coprod.domain.errors import Forbidden, InvalidInput


def test_only_owner_and_facilitators_run_a_workshop():
    assert {a for a in Access if allows(a, Action.RUN)} == {Access.OWNER, Access.FACILITATOR}


def test_leads_read_and_export_but_never_change():
    assert allows(Access.LEAD, Action.READ) and allows(Access.LEAD, Action.EXPORT)
    assert not allows(Access.LEAD, Action.RUN)
    assert not allows(Access.LEAD, Action.ENTER_FOR_PAPER)


def test_no_access_allows_nothing():
    for action in Action:
        assert not allows(None, action)
    with pytest.raises(Forbidden):
        require(None, Action.READ)


def test_a_lead_account_cannot_be_made_a_facilitator():
    check_grant(AccountRole.LEAD, Access.LEAD)
    with pytest.raises(InvalidInput):
        check_grant(AccountRole.LEAD, Access.FACILITATOR)
    with pytest.raises(InvalidInput):
        check_grant(AccountRole.HELPER, Access.LEAD)
