"""The command-line tools: accounts without passwords on the command line, and chain checks."""

from sqlalchemy import text

from coprod.extensions import db
from coprod.models import User
from coprod.services import accounts

from .factories import join, make_user, make_workshop
from .services.test_audit_trail import drop_guards


def test_create_account_reads_the_password_from_stdin(app):
    result = app.test_cli_runner().invoke(args=[
        "create-account", "--email", "Lead@Example.org", "--name", "Health board lead",
        "--role", "lead", "--password-stdin"], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "Created lead account lead@example.org" in result.output
    assert accounts.authenticate("lead@example.org", "a long enough password").role == "lead"


def test_create_account_reads_the_password_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("COPROD_PASSWORD", "another long password")
    result = app.test_cli_runner().invoke(args=["create-account", "--email", "f@example.org",
                                                "--name", "Facilitator"])
    assert result.exit_code == 0, result.output
    assert db.session.query(User).one().role == "facilitator"


def test_create_account_without_a_password_explains_how(app, monkeypatch):
    monkeypatch.delenv("COPROD_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(args=["create-account", "--email", "f@example.org",
                                                "--name", "Facilitator"])
    assert result.exit_code != 0 and "--password-stdin" in result.output
    assert db.session.query(User).count() == 0


def test_a_short_password_is_refused_with_the_rule(app):
    result = app.test_cli_runner().invoke(args=[
        "create-account", "--email", "f@example.org", "--name", "F", "--password-stdin"],
        input="short\n")
    assert result.exit_code == 1 and "at least 10 characters" in result.output


def test_verify_audit_passes_on_an_untouched_trail(app):
    workshop_id = make_workshop(make_user())
    join(workshop_id)
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert f"workshop:{workshop_id}: 2 events, all verified" in result.output


def test_verify_audit_names_the_first_changed_event(app):
    workshop_id = make_workshop(make_user())
    for group in ("Carer", "Staff", "Carer"):
        join(workshop_id, group)
    drop_guards()
    db.session.execute(text("UPDATE audit_event SET at = '2020-01-01 00:00:00.000000' "
                            "WHERE workshop_id = :w AND seq = 3"), {"w": workshop_id})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["verify-audit", "--workshop", str(workshop_id)])
    assert result.exit_code == 1
    assert f"workshop:{workshop_id}: event 3 fails verification" in result.output


def test_verify_audit_of_an_unknown_workshop_says_so(app):
    result = app.test_cli_runner().invoke(args=["verify-audit", "--workshop", "999"])
    assert result.exit_code == 1
    assert "There is no workshop 999." in result.output
    assert "Traceback" not in result.output


def test_setup_link_only_while_there_are_no_accounts(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup-link"])
    assert first.exit_code == 0 and "/setup/" in first.output
    make_user()
    assert runner.invoke(args=["setup-link"]).exit_code == 1
