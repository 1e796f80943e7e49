"""A seed-sized workshop through the services: 30 people, 45 ideas, merges, two votes, three
signed-off outlines, every export, and an audit trail that still verifies at the end.

Small rooms hide defects a real one finds (ids past 9, reads that grow with every idea), so
this module builds one real-sized room (tests/support/rooms.py) and checks what a lead or a
facilitator would notice. The room is built once for the module: it takes seconds, and the
tests only read it (exports add their own audit events, which the chain must verify too).
"""

import csv
import io
import json
from collections import Counter

import pytest
from docx import Document
from jsonschema import Draft202012Validator, FormatChecker
from pypdf import PdfReader

from coprod.domain.labels import consensus_label
from coprod.exports.as_csv import COLUMNS
from coprod.extensions import db
from coprod.models import Ballot, Card, Vote, VoteRound, Workshop
from coprod.services import exports, outlines, voting

from ..support.rooms import DOT_BUDGET, DOTS_PER_IDEA, GROUPS, build_room
from .test_exports import SCHEMA, docx_tables, markdown_tables

FORMATS = ("pdf", "docx", "md", "csv", "json")
ROLE_TITLES = ("Navigator", "Healthcare Assistant", "Nurse in Community Mental Health Centre")


@pytest.fixture(scope="module")
def room(module_app):
    return build_room()


@pytest.fixture(autouse=True)
def fresh_reads(module_app):
    yield
    db.session.rollback()  # every test starts from what is committed, not a stale snapshot


@pytest.fixture(scope="module")
def export(room):
    """Export in a format (the whole workshop, or one role), once per module: a PDF of this
    size takes seconds to print."""
    made = {}

    def get(fmt: str, role_id: int | None = None) -> exports.ExportFile:
        if (fmt, role_id) not in made:
            made[fmt, role_id] = exports.export(room.actor, room.workshop_id, fmt,
                                                role_id=role_id)
        return made[fmt, role_id]
    return get


def document_of(export, role_id=None) -> dict:
    return json.loads(export("json", role_id).data)


def items(document: dict):
    """(role title, section label, item) for every line of every exported outline."""
    return [(outline["title"], section["label"], item) for outline in document["outlines"]
            for section in outline["sections"] for item in section["items"]]


def agree_results(room) -> dict[int, dict]:
    workshop = db.session.get(Workshop, room.workshop_id)
    outcome = voting.results(db.session.get(VoteRound, room.agree_round_id), workshop)
    return {card["card_id"]: card for card in outcome["cards"]}


def test_the_room_is_seed_sized_with_ids_past_nine(room):
    assert {group: len(people) for group, people in room.people.items()} == {
        group: 10 for group in GROUPS}
    assert len(room.card_ids) == 45 and max(room.card_ids) >= 45
    assert max(room.group_of) >= 30
    roles = Counter(room.ideas[card].role_id for card in room.card_ids)
    assert set(roles) == {*room.role_ids, None} and min(roles.values()) >= 10
    assert {idea.kind for idea in room.ideas.values()} == {"responsibility", "competence"}
    assert len({idea.text for idea in room.ideas.values()}) == 45
    assert Counter(room.expected.values()).keys() == {"agreed", "divisive", "open"}


def test_the_statement_counts_people_and_ideas_per_group(room, export):
    statement = document_of(export)["statement"]
    assert {row["constituency"]: row["count"] for row in statement["participants"]} == {
        group: len(people) for group, people in room.people.items()}
    proposed = Counter(idea.group for idea in room.ideas.values())
    assert {row["constituency"]: row["count"] for row in statement["cards_proposed"]} == proposed
    assert sum(proposed.values()) == 45  # a merged idea still counts for whoever proposed it
    rows = list(csv.DictReader(io.StringIO(export("csv").data.decode("utf-8-sig"))))
    said = {row["section"]: per_group(row["statement"]) for row in rows
            if row["record"] == "statement"}
    assert said["Participants per group"] == {
        group: str(len(people)) for group, people in room.people.items()}
    assert said["Ideas proposed per group"] == {
        group: str(count) for group, count in proposed.items()}


def per_group(line: str) -> dict[str, str]:
    """"Carer: 15; Staff: 15" as {"Carer": "15", "Staff": "15"}."""
    return dict(part.rsplit(": ", 1) for part in line.split("; ") if ": " in part)


def test_the_results_give_every_idea_the_status_its_votes_earn(room):
    results = agree_results(room)
    assert {card: result["status"] for card, result in results.items()} == room.expected
    for card_id, result in results.items():
        for group in result["groups"]:
            answers = [answer for person, answer in room.answers[card_id].items()
                       if room.group_of[person] == group["name"]]
            assert (group["voters"], group["supporters"]) == (len(answers), answers.count("agree"))


def test_the_exports_give_each_adopted_line_its_status(room, export):
    document = document_of(export)
    voted = [(title, item) for title, _, item in items(document) if item["card_ids"]]
    assert len(voted) == sum(len(ids) for signed in room.signed.values()
                             for ids in signed.card_ids.values())
    for _, item in voted:
        assert item["consensus"] == room.expected[item["card_ids"][0]], item["text"]
    # The room adopts agreed ideas, and keeps one divisive idea in the nurse's outline.
    assert Counter(item["consensus"] for _, item in voted)["divisive"] == 1
    assert {item["consensus"] for _, item in voted} == {"agreed", "divisive"}
    assert [line["text"] for line in document["statement"]["divisive"]] == [
        item["text"] for _, item in voted if item["consensus"] == "divisive"]
    rows = list(csv.DictReader(io.StringIO(export("csv").data.decode("utf-8-sig"))))
    by_text = {row["text"]: row for row in rows if row["record"] == "item"}
    for _, item in voted:
        assert by_text[item["text"]]["consensus"] == room.expected[item["card_ids"][0]]
    _, support = markdown_tables(export("md").data.decode())[
        ("Co-production statement", "Support for each adopted line, per group")]
    assert {row[1]: row[2] for row in support} == {
        item["text"]: str(consensus_label(room.expected[item["card_ids"][0]])) for _, item in voted}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_exports_the_whole_workshop_and_a_single_role(room, export, fmt):
    whole = export(fmt)
    assert whole.data and whole.filename.endswith(f"-role-outlines.{fmt}")
    nurse = room.role_ids[2]
    single = export(fmt, nurse)
    assert single.data and single.filename == (
        f"nurse-in-community-mental-health-centre-v{room.signed[nurse].version}-agreed.{fmt}")


def test_the_json_is_valid_against_the_published_schema(room, export):
    checker = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    whole = document_of(export)
    checker.validate(whole)
    assert [outline["title"] for outline in whole["outlines"]] == list(ROLE_TITLES)
    assert {outline["status"] for outline in whole["outlines"]} == {"agreed"}
    for role_id, title in zip(room.role_ids, ROLE_TITLES, strict=True):
        single = document_of(export, role_id)
        checker.validate(single)
        assert [(o["title"], o["version"]) for o in single["outlines"]] == [
            (title, room.signed[role_id].version)]
    card_ids = {card for _, _, item in items(whole) for card in item["card_ids"]}
    assert max(card_ids) > 9  # ids of two digits travel through the export


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
                    .split())


def test_the_pdf_opens_and_names_the_roles_and_what_was_agreed(room, export):
    text = pdf_text(export("pdf").data)
    for title in ROLE_TITLES:
        assert title in text
    assert "Agreed" in text and "AGREED on" in text and "Co-production statement" in text
    nurse = pdf_text(export("pdf", room.role_ids[2]).data)
    assert ROLE_TITLES[2] in nurse and "Groups differ" in nurse
    assert room.signed[room.role_ids[2]].typed in nurse


def test_the_docx_opens_and_has_each_outlines_lines(room, export):
    tables = docx_tables(export("docx").data)
    for role_id, title in zip(room.role_ids, ROLE_TITLES, strict=True):
        signed = room.signed[role_id]
        responsibilities = [row[0] for row in tables[(title, "Key responsibilities")][1]]
        competences = [row[0] for row in tables[(title, "Competences")][1]]
        assert responsibilities == [room.ideas[card].text for card in
                                    signed.card_ids["responsibilities"]] + [signed.typed]
        assert competences == [room.ideas[card].text for card in signed.card_ids["competences"]]
    body = "\n".join(p.text for p in Document(io.BytesIO(export("docx").data)).paragraphs)
    assert body.count("AGREED on") == 3


def test_the_csv_has_one_row_per_line_with_its_details(room, export):
    reader = csv.DictReader(io.StringIO(export("csv").data.decode("utf-8-sig")))
    rows = [row for row in reader if row["record"] == "item"]
    assert reader.fieldnames == COLUMNS + [f"support {group}" for group in GROUPS] + ["statement"]
    lines = [(version.role_id, item["text"]) for version in
             (outlines.version_of(role_id, room.signed[role_id].version) for role_id in room.role_ids)
             for section in ("responsibilities", "competences", "person_spec", "values")
             for item in outlines.content_of(version)[section]]
    assert [(row["role"], row["text"]) for row in rows] == [
        (ROLE_TITLES[room.role_ids.index(role_id)], text) for role_id, text in lines]
    assert {(row["status"], row["version"]) for row in rows if row["role"] == "Navigator"} == {
        ("agreed", str(room.signed[room.role_ids[0]].version))}
    for role_id, title in zip(room.role_ids, ROLE_TITLES, strict=True):
        detailed = room.signed[role_id].detailed
        first = next(row for row in rows if row["role"] == title and row["section"] == "Competences")
        assert (first["type"], first["level"], first["requirement"], first["assessment"]) == (
            detailed["type"], str(detailed["level"]), detailed["requirement"],
            "; ".join(detailed["assessment"]))
    card = room.signed[room.role_ids[0]].card_ids["responsibilities"][0]
    row = next(row for row in rows if row["text"] == room.ideas[card].text)
    agrees = Counter(room.group_of[person] for person, answer in room.answers[card].items()
                     if answer == "agree")
    for group, people in room.people.items():
        assert row[f"support {group}"] == (
            f"{100 * agrees[group] // len(people)}% ({agrees[group]}/{len(people)})")


def test_the_markdown_has_each_role_with_its_typed_line(room, export):
    tables = markdown_tables(export("md").data.decode())
    for role_id, title in zip(room.role_ids, ROLE_TITLES, strict=True):
        _, rows = tables[(title, "Key responsibilities")]
        assert [room.signed[role_id].typed, "Typed in the room", "Not voted on"] in rows


def dots_on(round_id: int, card_id: int) -> dict[int, int]:
    return dict(db.session.execute(db.select(Vote.participant_id, Vote.value).where(
        Vote.round_id == round_id, Vote.card_id == card_id)).all())


def test_the_merged_ideas_dots_moved_within_each_persons_limits(room):
    merge = room.kept_merge
    assert db.session.get(Card, merge.source_id).state == "merged"
    cast = {person: (dots.get(merge.source_id, 0), dots.get(merge.target_id, 0))
            for person, dots in room.dots.items()}
    expected = {person: min(DOTS_PER_IDEA, source + target)
                for person, (source, target) in cast.items() if source + target}
    assert dots_on(room.dot_round_id, merge.source_id) == {}
    assert dots_on(room.dot_round_id, merge.target_id) == expected
    over = [person for person, (source, target) in cast.items() if source + target > DOTS_PER_IDEA]
    assert over  # somebody had dots on both and got the extra back
    used = dict(db.session.execute(db.select(Ballot.participant_id, Ballot.used).where(
        Ballot.round_id == room.dot_round_id)).all())
    for person in over:
        assert used[person] == DOT_BUDGET - (sum(cast[person]) - DOTS_PER_IDEA)
    assert merge.source_id not in agree_results(room)  # the duplicate was not voted on again


def test_the_undone_merge_put_the_idea_and_its_dots_back(room):
    merge = room.undone_merge
    assert db.session.get(Card, merge.source_id).state == "visible"
    for card in (merge.source_id, merge.target_id):
        assert dots_on(room.dot_round_id, card) == {
            person: dots[card] for person, dots in room.dots.items() if card in dots}
    assert {merge.source_id, merge.target_id} <= set(agree_results(room))


def test_verify_audit_passes_for_the_workshop_and_every_chain(room, module_app):
    exports.export(room.actor, room.workshop_id, "csv")  # exports are on the trail too
    runner = module_app.test_cli_runner()
    one = runner.invoke(args=["verify-audit", "--workshop", str(room.workshop_id)])
    assert one.exit_code == 0, one.output
    assert f"workshop:{room.workshop_id}: " in one.output and "all verified" in one.output
    every = runner.invoke(args=["verify-audit"])
    assert every.exit_code == 0, every.output
    lines = every.output.strip().splitlines()
    assert len(lines) >= 2 and all("all verified" in line for line in lines)
