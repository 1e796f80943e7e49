"""Role redesign projects: creating one, its details and milestones, its record across sessions,
its export, and `verify-audit --project`."""

import io
import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from coprod.domain.errors import InvalidInput, NotFound
from coprod.domain.projects import ProjectDetails
from coprod.extensions import db
from coprod.models import Milestone, Project, Workshop
from coprod.services import audit, cards, outlines, participants, project_export, projects, voting
from coprod.services.project_record import record
from coprod.services.workshops import WorkshopDetails

from ..factories import actor_of, group_id, join, make_user, set_phase
from .test_audit_trail import drop_guards

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "project-export.schema.json"
TODAY = date(2027, 5, 1)


def new_project(owner, target=10, title="Redesigning roles at the centre") -> int:
    """A project (three groups, the Navigator role) with its first session; returns the session."""
    return projects.create_project(
        actor_of(owner), ProjectDetails(title, "Design three roles with the people they serve",
                                        "People waiting months for support", target),
        WorkshopDetails("Session 1: what the roles do", date(2027, 3, 14), "Carmarthen"),
        "Service user or patient\nCarer\nStaff", ["navigator"], [])


def project_of(session_id: int) -> Project:
    return db.session.get(Workshop, session_id).project


def actions(session_id: int) -> list[str]:
    return [event.action for event in audit.events_for(session_id, newest_first=False)]


@pytest.fixture
def owner(app):
    return make_user()


def test_a_project_starts_with_its_first_session(owner):
    session_id = new_project(owner)
    project = project_of(session_id)
    assert (project.title, project.target_per_group) == ("Redesigning roles at the centre", 10)
    assert project.population_need == "People waiting months for support"
    assert [(s.session_number, s.title) for s in projects.sessions_of(project.id)] == [
        (1, "Session 1: what the roles do")]
    assert [p.title for p, _access in projects.projects_for(owner.id)] == [project.title]


def test_a_target_out_of_range_is_refused_and_nothing_is_stored(owner):
    with pytest.raises(InvalidInput, match="from 1 to 500") as refused:
        new_project(owner, target=5000)
    assert refused.value.field == "target_per_group"
    assert db.session.query(Project).count() == 0 and db.session.query(Workshop).count() == 0


def test_changed_details_are_audited_on_the_newest_sessions_chain(owner):
    session_id = new_project(owner)
    project_id = project_of(session_id).id
    changed = projects.update_details(actor_of(owner), project_id, ProjectDetails(
        "Roles for the community team", "Design three roles", "People waiting months for support",
        12))
    assert changed is True
    event = audit.events_for(session_id)[0]
    assert event.action == "project.details_changed"
    assert event.payload["title"] == ["Redesigning roles at the centre",
                                      "Roles for the community team"]
    assert event.payload["target_per_group"] == [10, 12]
    assert "population_need" not in event.payload  # unchanged fields are not on the trail
    # The live screens count joins against the new target.
    assert participants.counts_by_constituency(session_id)[0]["target"] == 12
    same = ProjectDetails("Roles for the community team", "Design three roles",
                          "People waiting months for support", 12)
    assert projects.update_details(actor_of(owner), project_id, same) is False
    assert actions(session_id).count("project.details_changed") == 1


def test_milestones_are_dated_flagged_when_overdue_done_and_removed(owner):
    session_id = new_project(owner)
    project_id = project_of(session_id).id
    boss = actor_of(owner)
    late = projects.add_milestone(boss, project_id, "Outlines to workforce team",
                                  date(2027, 4, 1))
    soon = projects.add_milestone(boss, project_id, "Second session", date(2027, 6, 1))
    shown = projects.milestones_of(project_of(session_id), TODAY)
    assert [(m.title, m.overdue) for m in shown] == [("Outlines to workforce team", True),
                                                     ("Second session", False)]
    projects.complete_milestone(boss, project_id, late, TODAY)
    projects.complete_milestone(boss, project_id, late, date(2027, 5, 2))  # twice: no change
    db.session.expire_all()
    shown = projects.milestones_of(project_of(session_id), TODAY)
    assert (shown[0].done_on, shown[0].overdue) == (TODAY, False)
    projects.remove_milestone(boss, project_id, soon)
    assert [m.title for m in db.session.query(Milestone)] == ["Outlines to workforce team"]
    assert [a for a in actions(session_id) if a.startswith("milestone.")] == [
        "milestone.added", "milestone.added", "milestone.done", "milestone.removed"]


def test_a_milestone_needs_a_title_and_a_date(owner):
    project_id = project_of(new_project(owner)).id
    with pytest.raises(InvalidInput) as no_title:
        projects.add_milestone(actor_of(owner), project_id, "  ", date(2027, 4, 1))
    with pytest.raises(InvalidInput) as no_date:
        projects.add_milestone(actor_of(owner), project_id, "Outlines to workforce team", None)
    assert (no_title.value.field, no_date.value.field) == ("milestone_title", "due_on")
    assert db.session.query(Milestone).count() == 0


def test_another_projects_facilitator_is_refused_everything(owner):
    project_id = project_of(new_project(owner)).id
    milestone = projects.add_milestone(actor_of(owner), project_id, "Outlines to workforce team",
                                       date(2027, 4, 1))
    stranger = actor_of(make_user())
    elsewhere = project_of(new_project(make_user(), title="Another project")).id
    attempts = [
        lambda: projects.update_details(stranger, project_id, ProjectDetails("Taken over")),
        lambda: projects.add_milestone(stranger, project_id, "Mine now", date(2027, 4, 1)),
        lambda: projects.complete_milestone(stranger, project_id, milestone, TODAY),
        lambda: projects.remove_milestone(stranger, project_id, milestone),
        lambda: project_export.export(stranger, project_id, "json", "en", TODAY),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    # Nor through their own project: a milestone is found only in the project it belongs to.
    with pytest.raises(NotFound):
        projects.remove_milestone(actor_of(owner), elsewhere, milestone)
    assert project_of(projects.newest_session_id(project_id)).title != "Taken over"
    assert db.session.query(Milestone).one().done_on is None


def run_session_one(owner, session_id: int) -> dict:
    """Phones, paper and the facilitator add ideas; a vote; the Navigator outline is drafted."""
    boss = actor_of(owner)
    set_phase(owner, session_id, "contribute")
    carers = [join(session_id, "Carer"), join(session_id, "Carer")]
    staff = join(session_id, "Staff")
    on_paper = participants.add_on_paper(boss, session_id, group_id(session_id, "Service user or "
                                                                    "patient"), "A. B.")
    ideas = [cards.add_card(participants.actor_for(carers[0]), session_id, "responsibility",
                            "Rings people the day before their appointment"),
             cards.add_card(participants.actor_for(carers[1]), session_id, "competence",
                            "Knows the local carers' groups"),
             cards.add_card(participants.actor_for(staff), session_id, "responsibility",
                            "Keeps the waiting list in touch"),
             cards.add_card(participants.helper_actor(boss, session_id, on_paper.id), session_id,
                            "responsibility", "Explains things without jargon"),
             cards.add_card(boss, session_id, "competence", "Keeps clear notes")]
    card_ids = [idea["card"]["id"] for idea in ideas]
    set_phase(owner, session_id, "review", "vote")
    vote_round = voting.open_round(boss, session_id, "agree")["round"]
    for person in (*carers, staff):
        voting.cast_vote(participants.actor_for(person), session_id, vote_round["id"],
                         card_ids[0], "agree")
    voting.close_round(boss, session_id, vote_round["id"])
    set_phase(owner, session_id, "results", "build")
    role_id = db.session.get(Workshop, session_id).roles[0].id
    first = outlines.ensure_outline(boss, session_id, role_id)
    outlines.change(boss, session_id, role_id, first["number"], {
        "kind": "add_card", "section": "responsibilities", "card_id": card_ids[0]})
    return {"card_ids": card_ids, "role_id": role_id}


def session_record(owner, session_id: int, number: int = 1) -> dict:
    return record(project_of(session_id), TODAY)["sessions"][number - 1]


def test_the_record_counts_one_session_per_group_and_origin(owner):
    session_id = new_project(owner)
    run_session_one(owner, session_id)
    db.session.expire_all()
    session = session_record(owner, session_id)
    assert [(p["group"], p["count"]) for p in session["participants"]] == [
        ("Service user or patient", 1), ("Carer", 2), ("Staff", 1)]
    by_group = {g["group"]: (g["phone"], g["paper"]) for g in session["ideas"]["by_group"]}
    assert by_group == {"Service user or patient": (0, 1), "Carer": (2, 0), "Staff": (1, 0)}
    assert (session["ideas"]["facilitator"], session["ideas"]["total"]) == (1, 5)
    assert session["vote_rounds"] == 1 and session["returning"] == 0
    adopted = {row["origin"]: row["count"] for row in session["lines_adopted"]}
    assert adopted["card"] == 1 and adopted["template"] > 0 and adopted["room"] == 0
    head_seq, head_hash = audit.head(session_id)
    assert session["audit"] == {"chain": f"workshop:{session_id}", "head_seq": head_seq,
                                "head_hash": head_hash}


def test_the_record_across_two_sessions_counts_carried_ideas_once(owner):
    from coprod.services import carry

    first = new_project(owner)
    run_session_one(owner, first)
    project_id = project_of(first).id
    second = carry.start_next_session(actor_of(owner), project_id, WorkshopDetails(
        "Session 2: what the roles need", date(2027, 4, 11), "Carmarthen"))
    set_phase(owner, second, "contribute")
    newcomer = join(second, "Staff")
    cards.add_card(participants.actor_for(newcomer), second, "responsibility",
                   "Runs a drop-in on Fridays")
    set_phase(owner, second, "review", "vote", "results", "build")
    role_id = db.session.get(Workshop, second).roles[0].id
    latest = outlines.ensure_outline(actor_of(owner), second, role_id)
    outlines.change(actor_of(owner), second, role_id, latest["number"], {
        "kind": "add_text", "section": "values", "text": "Patience"})
    db.session.expire_all()
    made = record(project_of(first), TODAY)
    one, two = made["sessions"]
    assert (one["ideas"]["total"], two["ideas"]["total"]) == (5, 1)
    assert two["ideas"]["carried_forward"] == 5
    assert {g["group"]: g["phone"] for g in two["ideas"]["by_group"]}["Staff"] == 1
    adopted_two = {row["origin"]: row["count"] for row in two["lines_adopted"]}
    assert adopted_two == {**dict.fromkeys(adopted_two, 0), "room": 1}  # only the new line
    versions = made["outlines"][0]["versions"]
    # Each version once, with the session that made it (session 2's copies are not repeated).
    assert [(v["number"], v["session_number"]) for v in versions] == [(1, 1), (2, 1), (3, 2)]
    heads = made["statement"]["audit_heads"]
    assert [(h["session"], h["chain"]) for h in heads] == [(1, f"workshop:{first}"),
                                                           (2, f"workshop:{second}")]
    assert made["statement"]["ideas"] == [{"group": "Service user or patient", "count": 1},
                                          {"group": "Carer", "count": 2},
                                          {"group": "Staff", "count": 2}]


def test_the_json_export_validates_and_is_on_the_audit_trail(owner):
    jsonschema = pytest.importorskip("jsonschema")
    session_id = new_project(owner)
    run_session_one(owner, session_id)
    project_id = project_of(session_id).id
    exported = project_export.export(actor_of(owner), project_id, "json", "en", TODAY)
    document = json.loads(exported.data)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    assert exported.filename == "redesigning-roles-at-the-centre-project-record.json"
    assert document["sessions"][0]["ideas"]["total"] == 5
    event = audit.events_for(session_id)[0]
    assert event.action == "export.created" and event.payload["scope"] == "project"
    # The file names the head it was built from: the event just before its own export event.
    assert event.payload["audit_heads"] == {"1": event.seq - 1}


def test_the_pdf_export_opens_and_names_each_session_in_welsh(owner):
    session_id = new_project(owner)
    project_id = project_of(session_id).id
    exported = project_export.export(actor_of(owner), project_id, "pdf", "cy", TODAY)
    assert exported.data.startswith(b"%PDF") and exported.filename.endswith("-cy.pdf")
    pages = PdfReader(io.BytesIO(exported.data)).pages
    words = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Session 1: what the roles do" in words and "Redesigning roles at the centre" in words
    assert "Sesiwn 1" in words  # the record's own words are in Welsh
    with pytest.raises(InvalidInput):
        project_export.export(actor_of(owner), project_id, "docx", "cy", TODAY)


def test_verify_audit_checks_every_session_of_a_project(app, owner):
    session_id = new_project(owner)
    join(session_id, "Carer")
    project_id = project_of(session_id).id
    result = app.test_cli_runner().invoke(args=["verify-audit", "--project", str(project_id)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Session 1 (Session 1: what the roles do): 2 events, all verified. Chain head: event 2,")
    drop_guards()
    db.session.execute(text("UPDATE audit_event SET at = '2020-01-01 00:00:00.000000' "
                            "WHERE workshop_id = :w AND seq = 2"), {"w": session_id})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["verify-audit", "--project", str(project_id)])
    assert result.exit_code == 1
    assert "event 2 fails verification" in result.output
    missing = app.test_cli_runner().invoke(args=["verify-audit", "--project", "999"])
    assert missing.exit_code == 1 and "There is no project 999." in missing.output
