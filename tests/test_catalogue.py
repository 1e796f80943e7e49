"""The Welsh and English catalogues are whole, and nothing people read bypasses them."""

import re
from pathlib import Path

import pytest

from coprod import catalogue
from coprod.domain.i18n import Message, _, ngettext
from coprod.language import in_each_language, in_language, plural_forms
from coprod.web.words import PAGES, page_words, words_of

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "static" / "js"
SAY = re.compile(r"""\bsay\(\s*["'](\w+)["']""")
# A sentence or label written in a script: a capitalised word followed by more words.
SENTENCE = re.compile(r"""["'`]([A-Z][a-z’']+(?:[ ,.…:?!-]+[A-Za-z’']+)+[.…?!]?)["'`]""")


def test_every_marked_string_is_in_both_catalogues_and_translated_into_welsh():
    found = catalogue.problems()
    assert found == [], f"{len(found)} catalogue problems (python -m coprod.catalogue check):\n" + \
        "\n".join(found[:60])


def test_the_catalogues_are_not_empty():
    sizes = catalogue.coverage()
    assert sizes["messages"] > 300
    assert sizes["cy_translated"] == sizes["cy"] >= sizes["messages"]


def test_every_sentence_a_script_asks_for_is_sent_with_the_page():
    known = set().union(*(words_of(page) for page in PAGES))
    asked = {(path.name, key) for path in SCRIPTS.glob("*.js")
             for key in SAY.findall(path.read_text(encoding="utf-8"))}
    assert asked, "no script asks for words"
    assert {(name, key) for name, key in asked if key not in known} == set()


def test_scripts_write_no_sentences_of_their_own():
    written = {(path.name, text) for path in SCRIPTS.glob("*.js")
               for text in SENTENCE.findall(path.read_text(encoding="utf-8"))}
    assert written == set()


def test_a_missing_welsh_wording_falls_back_to_english_never_to_an_id(app):
    with app.test_request_context("/", headers={"Accept-Language": "cy"}):
        assert str(_("A sentence no catalogue has, %(name)s.", name="Ann")) == \
            "A sentence no catalogue has, Ann."


def test_welsh_and_english_come_from_the_same_message(app):
    message = _("%(label)s: please write something.", label=_("Job title"))
    with app.test_request_context("/"):
        words = in_each_language(message)
    assert words["en"] == "Job title: please write something."
    assert words["cy"].startswith("Teitl y swydd") and "please" not in words["cy"]
    assert "%(" not in words["cy"]


def test_welsh_counts_have_six_forms_for_the_browser(app):
    with app.test_request_context("/"), in_language("cy"):
        forms = plural_forms("%(count)s dot", "%(count)s dots")
    assert set(forms) == {"zero", "one", "two", "few", "many", "other"}
    assert all("%(count)s" in form for form in forms.values())
    with app.test_request_context("/"), in_language("en"):
        assert set(plural_forms("%(count)s dot", "%(count)s dots")) == {"one", "other"}


def test_a_count_chooses_its_wording_in_python_too(app):
    with app.test_request_context("/"), in_language("en"):
        assert str(ngettext("%(count)s dot", "%(count)s dots", 1)) == "1 dot"
        assert str(ngettext("%(count)s dot", "%(count)s dots", 3)) == "3 dots"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_script_gets_its_words_as_plain_text(app, page):
    with app.test_request_context("/", headers={"Accept-Language": "cy"}):
        words = page_words(page)
    assert all(isinstance(value, (str, dict)) for value in words.values())
    assert not any(isinstance(value, Message) for value in words.values())
