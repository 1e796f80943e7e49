"""Migrations upgrade a database that already holds a workshop, without losing or breaking it."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from coprod.extensions import db
from coprod.models import Card, Participant, Workshop

# A workshop as the first schema stored it (the models describe the newest schema, so plain SQL).
FIRST_SCHEMA_ROWS = [
    "INSERT INTO user_account (id, email, display_name, password_hash, role, is_enabled, "
    "failed_logins, session_epoch, created_at) VALUES (1, 'f@example.org', 'F', 'x', "
    "'facilitator', true, 0, 0, '2027-01-01 10:00:00')",
    "INSERT INTO workshop (id, title, held_on, venue, join_code, phase, owner_id, broadcast_seq, "
    "participant_seq, retention_months, approve_first, created_at) VALUES (1, 'Navigator roles', "
    "'2027-01-01', 'Carmarthen', 'KXMR3P', 'contribute', 1, 1, 1, 12, false, '2027-01-01 10:00:00')",
    "INSERT INTO constituency (id, workshop_id, name, position, retired) VALUES (1, 1, 'Carer', 0, false)",
    "INSERT INTO participant (id, workshop_id, constituency_id, number, nickname, on_paper, "
    "consent_version, joined_at) VALUES (1, 1, 1, 1, 'Megan', false, 'v1', '2027-01-01 10:01:00')",
    "INSERT INTO card (id, workshop_id, kind, text, version, state, participant_id, created_at, "
    "updated_at) VALUES (1, 1, 'responsibility', 'Helps people find support', 1, 'visible', 1, "
    "'2027-01-01 10:02:00', '2027-01-01 10:02:00')",
]


def test_upgrading_from_the_first_schema_keeps_every_row(app):
    downgrade(revision="0001")
    assert "vote" not in inspect(db.engine).get_table_names()
    for statement in FIRST_SCHEMA_ROWS:
        db.session.execute(text(statement))
    db.session.commit()
    db.session.remove()

    upgrade()
    assert {"vote", "ballot", "vote_round", "round_card", "card_merge"} <= set(
        inspect(db.engine).get_table_names())
    workshop = db.session.get(Workshop, 1)
    assert (workshop.title, workshop.consensus_threshold, workshop.divisive_gap) == (
        "Navigator roles", 60, 30)
    card = db.session.get(Card, 1)
    assert card.participant.nickname == "Megan" and card.merged_into_id is None
    assert db.session.get(Participant, 1).constituency.name == "Carer"


def test_the_migrations_build_exactly_the_schema_the_models_describe(app):
    # A model changed without a migration (or the other way round) would work in one database
    # and fail in the next one someone upgrades.
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from coprod.models.base import Base

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_workshops_become_one_session_projects_and_their_chains_still_verify(app):
    from coprod.models import Project
    from coprod.services import audit

    from ..factories import join, make_user, make_workshop, set_phase

    owner = make_user()
    workshop_ids = [make_workshop(owner) for _ in range(2)]
    for workshop_id in workshop_ids:
        set_phase(owner, workshop_id, "contribute")
        join(workshop_id, "Carer")
    heads = {w: audit.verify(w).events for w in workshop_ids}
    db.session.remove()

    downgrade(revision="0008")
    assert "project" not in inspect(db.engine).get_table_names()
    upgrade()

    for workshop_id in workshop_ids:
        workshop = db.session.get(Workshop, workshop_id)
        project = db.session.get(Project, workshop.project_id)
        assert (project.title, project.owner_id, workshop.session_number) == (
            workshop.title, workshop.owner_id, 1)
        check = audit.verify(workshop_id)
        assert check.ok and check.events == heads[workshop_id] > 0
    assert all(check.ok for check in audit.verify_all())
    assert len({db.session.get(Workshop, w).project_id for w in workshop_ids}) == 2
