import pytest

from coprod.domain.constituencies import parse_constituencies
from coprod.domain.errors import InvalidInput
from coprod.domain.roles import ROLE_TEMPLATES, clean_role, role_from_template


def test_groups_come_one_per_line_without_blanks():
    assert parse_constituencies("Carer\n\n  Staff  \nThird sector\n") == [
        "Carer", "Staff", "Third sector"]


def test_a_repeated_group_is_refused():
    with pytest.raises(InvalidInput) as raised:
        parse_constituencies("Carer\ncarer")
    assert "listed twice" in raised.value.message


def test_at_least_one_group_is_needed():
    with pytest.raises(InvalidInput):
        parse_constituencies("  \n ")


def test_the_three_project_roles_are_templates():
    assert [t.title for t in ROLE_TEMPLATES] == [
        "Navigator", "Healthcare Assistant", "Nurse in Community Mental Health Centre"]
    assert role_from_template("hca").title == "Healthcare Assistant"
    with pytest.raises(InvalidInput):
        role_from_template("astronaut")


def test_custom_roles_need_a_title():
    assert clean_role("Peer support worker", "", "").title == "Peer support worker"
    with pytest.raises(InvalidInput):
        clean_role("  ", "", "")
