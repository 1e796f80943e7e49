"""How easy the phone's English is to read: Flesch reading ease of each phone screen.

    .venv/bin/python -m bench.reading_ease

Renders each screen a participant sees (the join code page, the consent page with its notice,
the live phone page with every sentence its script can write) on a throwaway SQLite database,
takes the text a person reads, and scores it with textstat (pinned; see requirements). Writes
docs/reading-ease.md. The aim is 70 or more on each screen ("fairly easy": read without effort
by most people aged 12 and over), since people may be anxious, unwell or reading in a second
language.
"""

import re
import sys
import tempfile
from datetime import date
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

import textstat
from flask_migrate import upgrade

from coprod import create_app
from coprod.domain.actors import Actor
from coprod.domain.consent import consent_points
from coprod.extensions import db
from coprod.language import in_language
from coprod.models import Constituency, Workshop
from coprod.services import accounts, workshops
from coprod.web.words import words_of

DOC = Path(__file__).resolve().parent.parent / "docs" / "reading-ease.md"
TARGET = 70
TITLE = "Roles for our community mental health centre"
RETENTION_MONTHS = 12
# What a script's placeholders hold while it runs: a typical idea, a reason, small numbers.
EXAMPLE_VALUES = {"text": "Helps people find local support", "reason": "It is the same as another",
                  "count": 3, "most": 3, "done": 4, "all": 9, "left": 2, "budget": 5}
_ENDS_A_SENTENCE = re.compile(r"[.!?…:]$")


class _ReadText(HTMLParser):
    """The English text blocks of a page a person reads: not scripts or styles, not the words
    marked as Welsh (the language offer), not the product's name."""

    UNREAD = {"script", "style", "title"}
    INLINE = {"strong", "em", "a", "abbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self._skip, self._current = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.INLINE:
            self._flush()
        if tag in self.UNREAD or (dict(attrs).get("lang") or "").startswith("cy") or self._skip:
            self._skip.append(tag)  # skipped with everything inside it

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()
        if tag not in self.INLINE:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._current.append(data)

    def _flush(self):
        block = " ".join(" ".join(self._current).split())
        self._current = []
        if block and block.lower() not in ("coprod", "/"):
            self.blocks.append(block)


def as_prose(blocks: list[str]) -> str:
    """Blocks as sentences: a heading, label or button ends where it ends, as a reader takes it."""
    return " ".join(block if _ENDS_A_SENTENCE.search(block) else f"{block}." for block in blocks)


def page_text(html: str) -> str:
    """The prose a person reads on a rendered page."""
    reader = _ReadText()
    reader.feed(html)
    reader.close()
    return as_prose(reader.blocks)


def script_text(page: str) -> str:
    """Every sentence the page's script can write, with typical values filled in."""
    sentences = []
    for message in words_of(page).values():
        if message.plural is not None:  # one wording for a typical count (3)
            pattern = message.plural
        else:
            pattern = message.msgid
        sentences.append(pattern % EXAMPLE_VALUES)
    return as_prose(sentences)


def score(text: str) -> dict:
    """Words, sentences and the Flesch reading ease of `text`."""
    return {"words": textstat.lexicon_count(text, removepunct=True),
            "sentences": textstat.sentence_count(text),
            "flesch": round(textstat.flesch_reading_ease(text), 1)}


def screens(folder: Path) -> dict[str, str]:
    """The English text of each phone screen, rendered by the app on a throwaway database."""
    app = create_app({"TESTING": True, "SECRET_KEY": "reading ease", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'reading.sqlite'}",
                      "ASYNC_MODE": "threading", "LIVE_LOOP": False, "LANGUAGE": "en"})
    with app.app_context():
        upgrade()
        code, group = _workshop()
    client = app.test_client()
    english = {"Accept-Language": "en"}
    texts = {"Join code page": page_text(client.get("/join", headers=english).get_data(True)),
             "Consent page (with the notice)": page_text(
                 client.get(f"/j/{code}", headers=english).get_data(True))}
    joined = client.post(f"/j/{code}", headers=english,
                         data={"constituency": group, "consent": "y", "nickname": ""})
    assert joined.status_code == 302, "joining failed: the phone page cannot be measured"
    phone = page_text(client.get(f"/p/{code}", headers=english).get_data(True))
    with app.test_request_context("/", headers=english), in_language("en"):
        words = script_text("phone")
        texts["Phone page"] = phone
        texts["Phone page's script words"] = words
        texts["Phone page with its script words"] = f"{phone} {words}"
        texts["Consent notice alone"] = as_prose(
            [str(point) for point in consent_points(TITLE, RETENTION_MONTHS)])
    with app.app_context():
        db.engine.dispose()
    return texts


def _workshop() -> tuple[str, int]:
    owner = accounts.create_account(Actor.system(), accounts.NewAccount(
        "reader@example.org", "Reading Ease", "facilitator", "correct horse battery"))
    workshop_id = workshops.create_workshop(
        Actor.user(owner.id, owner.role),
        workshops.WorkshopDetails(TITLE, date(2027, 3, 14), "Carmarthen"),
        "Service user or patient\nCarer\nStaff", ["navigator", "hca", "cmhc_nurse"], [])
    workshop = db.session.get(Workshop, workshop_id)
    group = db.session.scalars(db.select(Constituency.id).where(
        Constituency.workshop_id == workshop_id)).first()
    return workshop.join_code, group


def report(figures: dict[str, dict]) -> str:
    """The figures as docs/reading-ease.md."""
    rows = "\n".join(f"| {name} | {f['words']} | {f['sentences']} | {f['flesch']} | "
                     f"{'yes' if f['flesch'] >= TARGET else 'NO'} |" for name, f in figures.items())
    return f"""# Reading ease of the phone screens

Measured by `.venv/bin/python -m bench.reading_ease` (textstat {version("textstat")}, Flesch
reading ease of the English text; higher is easier). The aim is {TARGET} or more on every screen:
"fairly easy", read without effort by most people from the age of 12, since the people joining
may be anxious, unwell, tired or reading in a second language.

Each screen is rendered by the app itself with a typical workshop ("{TITLE}",
names kept for {RETENTION_MONTHS} months). Its text is what a person reads: headings, labels,
hints, buttons and the consent notice; each heading, label or button counts as one sentence, as
a reader takes it (textstat leaves sentences of one or two words, like "Continue.", out of its
sentence count). The phone page's script writes more sentences as the workshop goes on (vote
help, progress, thanks); they are scored on their own and with the page, with typical values
(an idea's text, small numbers) in place of their placeholders.

| Screen | Words | Sentences | Flesch reading ease | {TARGET} or more |
|---|---:|---:|---:|:---:|
{rows}

Flesch reading ease is for English only; the Welsh wording follows the same short sentences and
is checked by a Welsh speaker (docs/translation.md), not by this formula.
Run it again after changing any wording on these screens, and reword anything below {TARGET}.
"""


def main() -> int:
    """Measure every phone screen, write docs/reading-ease.md, print the table."""
    textstat.set_lang("en")
    with tempfile.TemporaryDirectory() as folder:
        texts = screens(Path(folder))
    figures = {name: score(text) for name, text in texts.items()}
    DOC.write_text(report(figures), encoding="utf-8")
    for name, found in figures.items():
        print(f"{name:36} {found['words']:5} words {found['sentences']:4} sentences "
              f"Flesch {found['flesch']:5}")
    print(f"written to {DOC.relative_to(DOC.parent.parent)}")
    return 0 if all(found["flesch"] >= TARGET for found in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
