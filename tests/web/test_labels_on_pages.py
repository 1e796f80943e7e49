"""The live pages get every label from the server (coprod/domain/labels.py), and the browser code
writes none of its own, so a label changes in one place."""

import json
import re
from pathlib import Path

from coprod.domain.labels import for_front_end
from coprod.extensions import db
from coprod.language import in_language
from coprod.models import Workshop

from ..factories import make_user, make_workshop
from .test_auth_pages import sign_in
from .test_join_pages import join_form

LABELS_SCRIPT = re.compile(r'<script type="application/json" id="labels">(.*?)</script>', re.S)
SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"


def labels_on(page: str) -> dict:
    found = LABELS_SCRIPT.search(page)
    assert found, "no labels on the page"
    return json.loads(found.group(1))


def test_every_live_page_carries_the_labels(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    with in_language("en"):  # the labels read in English, as the pages do
        sent = json.loads(json.dumps(for_front_end(), default=str))
    for path in ("console", "projector", "outlines/build"):
        page = client.get(f"/workshops/{workshop_id}/{path}").get_data(as_text=True)
        assert labels_on(page) == sent, path
    code = db.session.get(Workshop, workshop_id).join_code
    phone = app.test_client()
    join_form(phone, code, constituency=db.session.get(Workshop, workshop_id).constituencies[1].id)
    assert labels_on(phone.get(f"/p/{code}").get_data(as_text=True)) == sent


def label_texts(group) -> set[str]:
    """The words of one group of labels: a dict's values, or the labels of [key, label] pairs."""
    if isinstance(group, dict):
        return {str(label) for label in group.values()}
    return {str(pair[1]) for pair in group if isinstance(pair, list | tuple)}


def test_the_browser_code_writes_no_label_of_its_own():
    texts = set().union(*(label_texts(group) for group in for_front_end().values()))
    assert {"Agreed by every group", "Groups differ", "Key responsibilities", "Waiting for approval"} <= texts
    scripts = {path.name: path.read_text() for path in SCRIPTS.glob("*.js")}
    assert "builder.js" in scripts
    written = {(name, text) for name, source in scripts.items() for text in texts
               if re.search(rf"""["'`]{re.escape(text)}["'`]""", source)}
    assert written == set()
