"""The evidence pack: items with a link or a PDF, refusals that leave nothing behind, seed ideas
in the session, and seed ideas counted as "From the evidence" in every count and export."""

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from coprod.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from coprod.domain.evidence import EvidenceDetails
from coprod.extensions import db
from coprod.models import Card, EvidenceItem, Workshop
from coprod.services import audit, documents, evidence, exports, outlines, workshops

from ..factories import actor_of, join, make_user, make_workshop, set_phase

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "export.schema.json").read_text())
PDF = b"%PDF-1.4\n% a small test file\n1 0 obj << >> endobj\n%%EOF\n"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    """Each test's PDFs in a folder of its own, never the developer's instance folder."""
    folder = tmp_path / "evidence"
    app.config["EVIDENCE_DIR"] = str(folder)
    return folder


@pytest.fixture
def owner(app):
    return make_user()


@pytest.fixture
def session_id(owner):
    return make_workshop(owner)


@pytest.fixture
def project_id(session_id):
    return db.session.get(Workshop, session_id).project_id


def stored_files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def item_count() -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(EvidenceItem.id)))


def add_pdf(owner, project_id, title="Bevan Exemplar report", data=PDF, name="report.pdf"):
    return evidence.add_item(actor_of(owner), project_id,
                             EvidenceDetails(title, "Service users and staff shaped the roles.",
                                             "Bevan Commission", date(2024, 5, 1)),
                             evidence.Upload(name, data))


def test_an_uploaded_pdf_is_stored_under_a_name_coprod_makes_and_audited(owner, project_id,
                                                                          session_id, evidence_dir):
    item_id = add_pdf(owner, project_id, name="../../etc/Report (final).PDF")
    item = db.session.get(EvidenceItem, item_id)
    [stored] = stored_files(evidence_dir)
    assert stored.name == item.stored_name and stored.read_bytes() == PDF
    assert len(stored.stem) == 32 and "Report" not in stored.name  # never the uploaded name
    assert item.file_name == "Report (final).pdf"  # no folders kept from the name it came with
    assert item.file_size == len(PDF) and item.file_sha256 == hashlib.sha256(PDF).hexdigest()
    event = audit.events_for(session_id)[0]
    assert event.action == "evidence.added"
    assert event.payload == {"item_id": item_id, "title": "Bevan Exemplar report",
                             "source": "Bevan Commission", "url": None,
                             "file_name": "Report (final).pdf", "size": len(PDF),
                             "sha256": hashlib.sha256(PDF).hexdigest()}


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_stored(owner, project_id,
                                                                   evidence_dir):
    word_file = b"PK\x03\x04 a Word document renamed to .pdf"
    with pytest.raises(InvalidInput) as refused:
        add_pdf(owner, project_id, data=word_file, name="report.pdf")
    assert str(refused.value.message) == "That file is not a PDF. Please choose a PDF file."
    assert refused.value.field == "file"
    assert item_count() == 0 and stored_files(evidence_dir) == []


def test_a_file_too_large_is_refused_with_its_size_and_nothing_is_stored(owner, project_id,
                                                                        evidence_dir):
    with pytest.raises(InvalidInput) as refused:
        add_pdf(owner, project_id, data=PDF + b"0" * (14 * MB - len(PDF)))
    assert str(refused.value.message) == "That file is 14 MB. The largest we can take is 10 MB."
    assert item_count() == 0 and stored_files(evidence_dir) == []


def test_the_limit_is_a_setting(app, owner, project_id):
    app.config["EVIDENCE_MAX_BYTES"] = 2 * MB
    with pytest.raises(InvalidInput) as refused:
        add_pdf(owner, project_id, data=PDF + b"0" * (MB * 5 // 2))
    assert str(refused.value.message) == "That file is 2.5 MB. The largest we can take is 2 MB."


def test_a_change_that_fails_after_the_file_was_written_leaves_no_file(owner, project_id,
                                                                       evidence_dir, monkeypatch):
    def broken(_item):
        raise RuntimeError("the database went away")
    monkeypatch.setattr(evidence, "_item_payload", broken)
    with pytest.raises(RuntimeError):
        add_pdf(owner, project_id)
    assert item_count() == 0 and stored_files(evidence_dir) == []


def test_a_link_must_be_a_web_address(owner, project_id):
    for link in ("javascript:alert(1)", "data:text/html,hi", "www.example.org", "ftp://x.org/a"):
        with pytest.raises(InvalidInput) as refused:
            evidence.add_item(actor_of(owner), project_id, EvidenceDetails("Report", url=link))
        assert refused.value.field == "url"
    item_id = evidence.add_item(actor_of(owner), project_id,
                                EvidenceDetails("Report", url="https://example.org/report"))
    assert db.session.get(EvidenceItem, item_id).url == "https://example.org/report"


def test_an_item_needs_a_title(owner, project_id):
    with pytest.raises(InvalidInput) as refused:
        evidence.add_item(actor_of(owner), project_id, EvidenceDetails("  "))
    assert refused.value.field == "title"


def test_removing_an_item_removes_its_file_and_is_audited(owner, project_id, session_id,
                                                         evidence_dir):
    item_id = add_pdf(owner, project_id)
    evidence.remove_item(actor_of(owner), project_id, item_id)
    assert item_count() == 0 and stored_files(evidence_dir) == []
    event = audit.events_for(session_id)[0]
    assert event.action == "evidence.removed" and event.payload["item_id"] == item_id


def test_only_those_who_run_the_project_change_its_pack(owner, project_id, session_id):
    helper, stranger = make_user("helper"), make_user()
    workshops.share(actor_of(owner), session_id, helper.email, "helper")
    with pytest.raises(Forbidden):
        add_pdf(helper, project_id)
    with pytest.raises(NotFound):
        add_pdf(stranger, project_id)
    assert item_count() == 0


def test_another_projects_item_cannot_be_reached(owner, project_id, session_id):
    other_owner = make_user()
    other_session = make_workshop(other_owner, title="Someone else's roles")
    other_project = db.session.get(Workshop, other_session).project_id
    theirs = add_pdf(other_owner, other_project)
    with pytest.raises(NotFound):
        evidence.remove_item(actor_of(owner), project_id, theirs)
    with pytest.raises(NotFound):
        evidence.add_seed_idea(actor_of(owner), project_id, theirs, "responsibility", "Listens")
    code = db.session.get(Workshop, session_id).join_code
    with pytest.raises(NotFound):
        evidence.file_for_code(code, theirs)
    assert evidence.file_for_code(db.session.get(Workshop, other_session).join_code,
                                  theirs)[1] == "report.pdf"


def seed(owner, project_id, item_id, text="Helps people plan their own care"):
    return evidence.add_seed_idea(actor_of(owner), project_id, item_id, "responsibility",
                                  text)["card"]["id"]


def test_a_seed_idea_joins_the_newest_session_marked_as_from_the_evidence(owner, project_id,
                                                                          session_id):
    item_id = add_pdf(owner, project_id)
    card = db.session.get(Card, seed(owner, project_id, item_id))
    assert card.workshop_id == session_id and card.evidence_item_id == item_id
    assert card.author_user_id == owner.id and card.participant_id is None
    assert card.state == "visible"
    event = audit.events_for(session_id)[0]
    assert event.action == "card.added"
    assert event.payload["origin"] == "evidence" and event.payload["evidence_item_id"] == item_id
    assert evidence.seed_ideas(project_id) == {item_id: [card]}


def test_an_item_with_seed_ideas_stays_in_the_pack(owner, project_id, evidence_dir):
    item_id = add_pdf(owner, project_id)
    seed(owner, project_id, item_id)
    with pytest.raises(Conflict):
        evidence.remove_item(actor_of(owner), project_id, item_id)
    assert item_count() == 1 and len(stored_files(evidence_dir)) == 1


def test_before_you_start_details_are_saved_and_audited(owner, project_id, session_id):
    changes = evidence.save_before(actor_of(owner), project_id, evidence.BeforeDetails(
        "We talk about what a Navigator does.", "About 2 hours", "Travel paid, and a £25 voucher"))
    assert changes["duration"] == ["", "About 2 hours"]
    workshop = db.session.get(Workshop, session_id)
    assert workshop.expenses == "Travel paid, and a £25 voucher"
    assert audit.events_for(session_id)[0].action == "workshop.before_changed"
    again = evidence.save_before(actor_of(owner), project_id, evidence.BeforeDetails(
        "We talk about what a Navigator does.", "About 2 hours", "Travel paid, and a £25 voucher"))
    assert again == {}


# Seed ideas are counted as their own origin --------------------------------------------------

@pytest.fixture
def seeded_outline(owner, project_id, session_id):
    """A Navigator outline with a seed idea's line, a carer's idea's line and a line typed in
    the room; plus a second seed idea that was not adopted."""
    item_id = add_pdf(owner, project_id)
    seeded = seed(owner, project_id, item_id)
    seed(owner, project_id, item_id, "Knows the local support groups")
    set_phase(owner, session_id, "contribute")
    carer = join(session_id, "Carer")
    from coprod.services import cards, participants
    carers = cards.add_card(participants.actor_for(carer), session_id, "responsibility",
                            "Rings carers after each visit")["card"]["id"]
    role_id = next(role.id for role in db.session.get(Workshop, session_id).roles
                   if role.title == "Navigator")
    boss = actor_of(owner)
    outlines.ensure_outline(boss, session_id, role_id)
    outlines.change(boss, session_id, role_id, 1, {"kind": "add_card", "section":
                                                   "responsibilities", "card_id": seeded})
    outlines.change(boss, session_id, role_id, 2, {"kind": "add_card", "section":
                                                   "responsibilities", "card_id": carers})
    outlines.change(boss, session_id, role_id, 3, {"kind": "add_text", "section":
                                                   "responsibilities", "text": "Works weekends"})
    return role_id


def _statement(owner, session_id):
    data = exports.export(actor_of(owner), session_id, "json", language="en").data
    return json.loads(data)


def test_seed_ideas_count_as_from_the_evidence_in_the_statement(owner, session_id,
                                                                seeded_outline):
    document = _statement(owner, session_id)
    statement = document["statement"]
    proposed = {row["constituency"]: row["count"] for row in statement["cards_proposed"]}
    assert proposed == {"Carer": 1, "From the evidence": 2}  # not the facilitator's
    origins = {row["origin"]: row["count"] for row in statement["items_adopted"]["by_origin"]}
    assert origins["evidence"] == 1 and origins["card"] == 1 and origins["room"] == 1
    labels = {row["origin"]: row["label"] for row in statement["items_adopted"]["by_origin"]}
    assert labels["evidence"] == "From the evidence"
    lines = {item["text"]: item for outline in document["outlines"]
             for section in outline["sections"] for item in section["items"]}
    seeded = lines["Helps people plan their own care"]
    assert seeded["origin"] == "evidence" and seeded["proposed_by"] == ["From the evidence"]
    assert lines["Rings carers after each visit"]["origin"] == "card"
    by_group = {row["constituency"]: row["count"]
                for row in statement["items_adopted"]["by_constituency"]}
    assert by_group == {"Carer": 1}


def test_the_json_export_with_seed_ideas_follows_the_schema(owner, session_id, seeded_outline):
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(
        _statement(owner, session_id))


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_text_exports_name_the_evidence_as_the_origin(owner, session_id, seeded_outline, fmt):
    text = exports.export(actor_of(owner), session_id, fmt, language="en").data.decode("utf-8-sig")
    if fmt == "csv":
        rows = {row["text"]: row for row in csv.DictReader(io.StringIO(text))}
        assert rows["Helps people plan their own care"]["origin"] == "From the evidence"
    else:
        assert "From the evidence: 1" in text  # the statement's lines adopted, by origin
        assert "From the evidence (proposed by" not in text  # says whose once, not twice


def test_the_evidence_label_follows_the_export_language(owner, session_id, seeded_outline):
    workshop = db.session.get(Workshop, session_id)
    from coprod.exports import wording
    with wording.export_language("cy"):
        document = documents.build(workshop, [])
    proposed = {row["constituency"] for row in document["statement"]["cards_proposed"]}
    assert "O'r dystiolaeth" in proposed


def test_a_line_that_also_carries_someones_idea_stays_the_rooms(owner, project_id, session_id):
    """A carer's idea merged into a seed idea: the line is "From an idea in the room", proposed
    by the carer and the evidence; only a line of seed ideas alone is "From the evidence"."""
    from coprod.services import cards, merges, participants
    item_id = add_pdf(owner, project_id)
    seeded = seed(owner, project_id, item_id)
    set_phase(owner, session_id, "contribute")
    carers = cards.add_card(participants.actor_for(join(session_id, "Carer")), session_id,
                            "responsibility", "Helps people make their own care plan")["card"]["id"]
    set_phase(owner, session_id, "review")
    boss = actor_of(owner)
    merges.merge_cards(boss, session_id, carers, seeded)
    role_id = db.session.get(Workshop, session_id).roles[0].id
    outlines.ensure_outline(boss, session_id, role_id)
    outlines.change(boss, session_id, role_id, 1, {"kind": "add_card", "section":
                                                   "responsibilities", "card_id": seeded})
    document = _statement(owner, session_id)
    [line] = [item for outline in document["outlines"] for section in outline["sections"]
              for item in section["items"] if item["card_ids"] == [seeded]]
    assert line["origin"] == "card" and line["proposed_by"] == ["Carer", "From the evidence"]
    origins = {row["origin"]: row["count"]
               for row in document["statement"]["items_adopted"]["by_origin"]}
    assert origins["card"] >= 1 and origins["evidence"] == 0
