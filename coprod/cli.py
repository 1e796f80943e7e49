"""Command-line tools: thin wrappers that call the same services as the web pages.

What they print for people is marked for the catalogue and read in the install's language
(COPROD_LANGUAGE, English by default); what scripts read (the setup link) stays as it is.
"""

import os
import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask

from .domain.access import AccountRole
from .domain.actors import Actor
from .domain.errors import DomainError
from .domain.i18n import _, ngettext
from .services import accounts, audit, backup, participants, projects
from .services.audit_keys import AuditKeyFileError


def register_commands(app: Flask) -> None:
    """Add coprod's commands to `flask --app coprod ...`."""
    app.cli.add_command(create_account)
    app.cli.add_command(verify_audit)
    app.cli.add_command(seal_audit)
    app.cli.add_command(rotate_audit_key)
    app.cli.add_command(backup_database)
    app.cli.add_command(restore_database)
    app.cli.add_command(setup_link)
    app.cli.add_command(erase_expired_names)


@click.command("create-account")
@click.option("--email", required=True, help="The email address people sign in with.")
@click.option("--name", "display_name", required=True, help="The name shown in coprod.")
@click.option("--role", type=click.Choice([role.value for role in AccountRole]),
              default=AccountRole.FACILITATOR.value, show_default=True)
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input (else from COPROD_PASSWORD).")
def create_account(email: str, display_name: str, role: str, password_stdin: bool) -> None:
    """Create an account. The password never goes on the command line."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = os.environ.get("COPROD_PASSWORD", "")
        if not password:
            # Translators: keep the option and the setting name as they are.
            raise click.UsageError(str(_("Give the password on standard input with "
                                         "--password-stdin, or in the COPROD_PASSWORD "
                                         "environment variable.")))
    try:
        user = accounts.create_account(Actor.system(), accounts.NewAccount(
            email, display_name, role, password))
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    # Translators: %(role)s is the account's role as typed on the command line ("facilitator").
    click.echo(_("Created %(role)s account %(email)s (id %(id)s).", role=user.role,
                 email=user.email, id=user.id))


@click.command("verify-audit")
@click.option("--workshop", "workshop_id", type=int, default=None,
              help="Check only this workshop's chain (default: every chain).")
@click.option("--head", "head_hash", default=None,
              help="A chain head hash printed in an export: check the trail still reaches it.")
@click.option("--project", "project_id", type=int, default=None,
              help="Check every session's chain of this project, one line per session.")
def verify_audit(workshop_id: int | None, head_hash: str | None,
                 project_id: int | None) -> None:
    """Recompute the audit chains and their sealed heads; exit 1 naming the first failure."""
    if project_id is not None:
        _verify_project(project_id)
        return
    try:
        if head_hash is not None:
            found = audit.find_head(head_hash, workshop_id)
            click.echo(found.describe())
            sys.exit(0 if found.ok else 1)
        checks = [audit.verify(workshop_id)] if workshop_id is not None else audit.verify_all()
    except (DomainError, AuditKeyFileError) as error:
        raise click.ClickException(_message(error)) from None
    for check in checks:
        click.echo(check.describe())
    if not all(check.ok for check in checks):
        sys.exit(1)


def _verify_project(project_id: int) -> None:
    """One line per session of the project: its number, title, events and head."""
    try:
        checked = projects.verify_sessions(project_id)
    except (DomainError, AuditKeyFileError) as error:
        raise click.ClickException(_message(error)) from None
    for session, check in checked:
        if check.ok:
            click.echo(ngettext(
                "Session %(number)s (%(title)s): %(count)s event, all verified. Chain head: "
                "event %(seq)s, %(hash)s.",
                "Session %(number)s (%(title)s): %(count)s events, all verified. Chain head: "
                "event %(seq)s, %(hash)s.", check.events, number=session.session_number,
                title=session.title, seq=check.head_seq, hash=check.head_hash))
        else:
            click.echo(_("Session %(number)s (%(title)s): %(problem)s",
                         number=session.session_number, title=session.title,
                         problem=check.describe()))
    if not all(check.ok for _session, check in checked):
        sys.exit(1)


@click.command("seal-audit")
def seal_audit() -> None:
    """Once, after upgrading: seal the chain heads written before seals existed."""
    _report_resealing(audit.seal_unsealed_heads, lambda outcome: ngettext(
        "Sealed %(count)s chain head with key %(key_id)s.",
        "Sealed %(count)s chain heads with key %(key_id)s.", outcome.sealed, key_id=outcome.key_id))


@click.command("rotate-audit-key")
def rotate_audit_key() -> None:
    """Start sealing with a new audit key; the old keys stay in the file to verify old copies."""
    _report_resealing(audit.rotate_key, lambda outcome: ngettext(
        "Rotated to a new audit key and sealed %(count)s chain head with key %(key_id)s.",
        "Rotated to a new audit key and sealed %(count)s chain heads with key %(key_id)s.",
        outcome.sealed, key_id=outcome.key_id))


def _report_resealing(reseal, done) -> None:
    # `done(outcome)` says what was sealed, in words.
    try:
        outcome = reseal()
    except (AuditKeyFileError, RuntimeError) as error:
        raise click.ClickException(_message(error)) from None
    if outcome.problems:
        for check in outcome.problems:
            click.echo(check.describe())
        click.echo(_("Nothing was sealed: these chains must be looked into first."))
        sys.exit(1)
    click.echo(done(outcome))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_database(path: Path) -> None:
    """Write a consistent copy of the database to a new file, while the server runs."""
    try:
        _report(backup.backup(path))
    except backup.BackupError as error:
        raise click.ClickException(str(error.message)) from None


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_database(path: Path, force: bool) -> None:
    """Put a backup made by `backup` back into the configured database (stop the server first)."""
    try:
        _report(backup.restore(path, force))
    except backup.BackupError as error:
        raise click.ClickException(str(error.message)) from None


def _report(done: backup.Done) -> None:
    click.echo(done.message)
    if done.next_step:
        click.echo(done.next_step)


def _message(error: Exception) -> str:
    return str(getattr(error, "message", None) or error)


@click.command("setup-link")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
def setup_link(base_url: str) -> None:
    """Print a fresh one-time link to create the first account (only while there are none)."""
    token = accounts.issue_setup_token()
    if token is None:
        # Translators: keep "create-account" as it is (a command).
        raise click.ClickException(str(_("There are accounts already. Use create-account "
                                         "instead.")))
    click.echo(f"{base_url.rstrip('/')}/setup/{token}")


@click.command("erase-expired-names")
def erase_expired_names() -> None:
    """Delete participants' names once their workshop's retention period has ended."""
    erased = participants.erase_expired_names(date.today())
    total = sum(erased.values())
    click.echo(_("Deleted %(names)s from %(workshops)s.",
                 names=ngettext("%(count)s name", "%(count)s names", total),
                 workshops=ngettext("%(count)s workshop", "%(count)s workshops", len(erased))))
