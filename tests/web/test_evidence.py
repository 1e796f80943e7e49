"""The evidence pack over HTTP: uploading a PDF, the refusals a facilitator reads, the download's
headers, and the public "Before you start" page (no account, any phase, Welsh too)."""
# ruff: noqa: F811  (the fixtures imported from the service tests are parameters here)

import io
from datetime import date

import pytest

from coprod.domain.actors import Actor
from coprod.domain.evidence import EvidenceDetails
from coprod.extensions import db
from coprod.models import EvidenceItem, Workshop
from coprod.services import evidence

from ..conftest import csrf_token
from ..factories import actor_of, make_user, make_workshop, set_phase

# The same folder, people and project as the service tests.
from ..services.test_evidence import (  # noqa: F401
    MB,
    PDF,
    evidence_dir,
    owner,
    project_id,
    session_id,
)
from .test_auth_pages import sign_in


@pytest.fixture
def code(session_id):
    return db.session.get(Workshop, session_id).join_code


@pytest.fixture
def signed_in(client, owner):
    sign_in(client, owner.email)
    return client


def upload(client, project_id, data=PDF, name="bevan report.pdf", **fields):
    page = f"/projects/{project_id}/evidence"
    form = {"csrf_token": csrf_token(client, page), "title": "Bevan Exemplar report",
            "summary": "Service users, carers and staff shaped three roles together.",
            "source": "Bevan Commission", "published_on": "2024-05-01", "url": "",
            "file": (io.BytesIO(data), name), **fields}
    return client.post(page, data=form, content_type="multipart/form-data")


def files_in(folder):
    return list(folder.iterdir()) if folder.exists() else []


def test_a_facilitator_uploads_a_pdf_and_sees_it_in_the_pack(signed_in, project_id, evidence_dir):
    response = upload(signed_in, project_id)
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Added to the evidence pack." in page and "Bevan Exemplar report" in page
    assert "PDF: bevan report.pdf (1 KB)" in page
    assert len(files_in(evidence_dir)) == 1


def test_a_file_that_is_not_a_pdf_is_refused_on_the_form(signed_in, project_id, evidence_dir):
    response = upload(signed_in, project_id, data=b"<html>not a pdf</html>", name="report.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That file is not a PDF. Please choose a PDF file." in page
    assert db.session.query(EvidenceItem).count() == 0 and files_in(evidence_dir) == []


def test_a_file_just_over_the_limit_gets_its_size_on_the_form(app, signed_in, project_id,
                                                               evidence_dir):
    response = upload(signed_in, project_id, data=PDF + b"0" * (10 * MB + MB // 2))
    assert response.status_code == 400
    assert "That file is 10.5 MB. The largest we can take is 10 MB." in response.get_data(as_text=True)
    assert files_in(evidence_dir) == []


def test_a_far_larger_upload_is_stopped_with_a_kind_page(signed_in, project_id, evidence_dir):
    response = upload(signed_in, project_id, data=PDF + b"0" * (14 * MB))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That file is 14 MB. The largest we can take is 10 MB." in page
    assert files_in(evidence_dir) == []


def test_a_helper_reads_the_pack_but_cannot_change_it(client, owner, session_id, project_id):
    helper = make_user("helper")
    from coprod.services import workshops
    workshops.share(actor_of(owner), session_id, helper.email, "helper")
    sign_in(client, helper.email)
    page = client.get(f"/projects/{project_id}/evidence")
    assert page.status_code == 200 and "Add to the pack" not in page.get_data(as_text=True)
    assert upload(client, project_id).status_code == 403


def add_item(owner, project_id, **details):
    return evidence.add_item(actor_of(owner), project_id, EvidenceDetails(
        details.get("title", "Sustaining new roles"),
        "Work in small steps, and bring everyone to the table from day one.",
        "Health Education and Improvement Wales", date(2023, 9, 12), details.get("url", "")),
        evidence.Upload("sustaining roles.pdf", PDF) if details.get("pdf", True) else None)


def test_the_pdf_downloads_safely(client, owner, project_id, code):
    item_id = add_item(owner, project_id)
    response = client.get(f"/before/{code}/evidence/{item_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sustaining roles.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_another_projects_pdf_is_not_found_by_this_code(client, owner, code):
    other = make_user()
    other_project = db.session.get(Workshop, make_workshop(other)).project_id
    theirs = add_item(other, other_project)
    assert client.get(f"/before/{code}/evidence/{theirs}").status_code == 404


def test_before_you_start_needs_no_account_and_works_before_the_session_opens(
        client, owner, project_id, code):
    evidence.save_before(actor_of(owner), project_id, evidence.BeforeDetails(
        "We look at what a Navigator does, then vote.", "About 2 hours, with a break",
        "Travel paid, lunch, and a £25 voucher"))
    item_id = add_item(owner, project_id, url="https://example.org/sustaining")
    page = client.get(f"/before/{code}").get_data(as_text=True)  # still in the lobby
    assert "Before you start" in page
    for said in ("We look at what a Navigator does, then vote.", "About 2 hours, with a break",
                 "Travel paid, lunch, and a £25 voucher", "Sustaining new roles",
                 "Work in small steps", "Health Education and Improvement Wales",
                 "12 September 2023", "Download the PDF (1 KB)",
                 'href="https://example.org/sustaining"',
                 f'href="/before/{code}/evidence/{item_id}"', f'href="/j/{code}"'):
        assert said in page, said


def test_before_you_start_works_signed_in_and_in_any_phase(signed_in, owner, session_id, code):
    set_phase(owner, session_id, "contribute", "review", "vote")
    response = signed_in.get(f"/before/{code}")
    assert response.status_code == 200 and "How long it takes" in response.get_data(as_text=True)


def test_before_you_start_in_welsh(client, owner, project_id, code):
    add_item(owner, project_id)
    page = client.get(f"/before/{code}?lang=cy").get_data(as_text=True)
    assert 'lang="cy"' in page
    assert "Cyn i chi ddechrau" in page and "Lawrlwytho'r PDF (1 KB)" in page
    assert "Before you start" not in page


def test_an_unknown_code_gets_the_join_pages_kind_message(client, app):
    response = client.get("/before/ZZZZZZ")
    assert response.status_code == 404
    assert "We could not find a workshop with that code" in response.get_data(as_text=True)


def test_the_join_pages_link_to_before_you_start(client, code):
    page = client.get(f"/j/{code}").get_data(as_text=True)
    assert f'href="/before/{code}"' in page and "What is this session about?" in page


def test_a_seed_idea_added_on_the_page_is_in_the_session(signed_in, owner, session_id,
                                                         project_id):
    item_id = add_item(owner, project_id)
    page = f"/projects/{project_id}/evidence"
    response = signed_in.post(f"{page}/{item_id}/seed-ideas", data={
        "csrf_token": csrf_token(signed_in, page), f"seed-{item_id}-kind": "competence",
        f"seed-{item_id}-role_id": "0", f"seed-{item_id}-text": "Knows the local support groups"})
    assert response.status_code == 302
    shown = signed_in.get(page).get_data(as_text=True)
    assert "Seed idea added." in shown and "Competence: Knows the local support groups" in shown
    seeds = evidence.seed_ideas(project_id)[item_id]
    assert [card.workshop_id for card in seeds] == [session_id]


def test_before_you_start_fields_are_saved_from_the_page(signed_in, project_id, code):
    page = f"/projects/{project_id}/evidence"
    response = signed_in.post(f"/projects/{project_id}/before", data={
        "csrf_token": csrf_token(signed_in, page), "what_happens": "We talk, then vote.",
        "duration": "2 hours", "expenses": "Travel paid"})
    assert response.status_code == 302
    assert "Travel paid" in signed_in.get(f"/before/{code}").get_data(as_text=True)


def test_removing_an_item_from_the_page(signed_in, owner, project_id, evidence_dir):
    item_id = add_item(owner, project_id)
    page = f"/projects/{project_id}/evidence"
    response = signed_in.post(f"{page}/{item_id}/remove",
                              data={"csrf_token": csrf_token(signed_in, page)})
    assert response.status_code == 302 and files_in(evidence_dir) == []
    assert "Taken out of the evidence pack." in signed_in.get(page).get_data(as_text=True)


def test_a_participant_cannot_change_the_pack(app, project_id):
    with pytest.raises(Exception) as refused:
        evidence.add_item(Actor.participant(1, "Carer"), project_id, EvidenceDetails("Report"))
    assert refused.typename == "Forbidden"
