"""The domain's own words (results, typing rules, waits, the audit check) and the command line
read in Welsh or English: the plain results words with their rules, kind errors that name the
box, and a terminal in Welsh when the install is set to Welsh."""

import json

import pytest

from coprod.domain import labels
from coprod.domain.errors import InvalidInput
from coprod.domain.i18n import _
from coprod.domain.text import clean_line
from coprod.language import in_language
from coprod.services import audit, throttle

from .factories import join, make_user, make_workshop

PLAIN_RESULTS = {
    "en": ["Agreed by every group", "Groups differ", "Not decided"],
    "cy": ["Cytunwyd gan bob grŵp", "Mae'r grwpiau'n wahanol", "Heb benderfynu eto"],
}
OLD_WORDS = {"Agreed", "Divisive", "Open"}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_front_end_gets_the_plain_results_words_and_their_rules(app, language):
    with in_language(language):
        sent = json.loads(app.json.dumps(labels.for_front_end()))
    words = [sent["consensus"][status] for status in ("agreed", "divisive", "open")]
    assert words == PLAIN_RESULTS[language] and not OLD_WORDS & set(words)
    rules = [sent["consensus_rules"][status] for status in ("agreed", "divisive", "open")]
    assert len(set(rules)) == 3 and all(rule.endswith(".") for rule in rules)
    if language == "cy":  # every rule really is in Welsh, not the English fallback
        with in_language("en"):
            english = {str(rule) for rule in labels.CONSENSUS_RULES.values()}
        assert not english & set(rules)


def test_a_typing_error_names_the_box_in_the_readers_language(app):
    with pytest.raises(InvalidInput) as raised:
        clean_line("  ", limit="card_text", field="text", label=_("Your idea"))
    with pytest.raises(InvalidInput) as too_long:
        clean_line("x" * 281, limit="card_text", field="text", label=_("Your idea"))
    with in_language("cy"):
        assert str(raised.value.message).startswith("Eich syniad: ")
        assert "280" in str(too_long.value.message) and "281" in str(too_long.value.message)
        assert "characters" not in str(too_long.value.message)
    with in_language("en"):
        assert str(raised.value.message) == "Your idea: please write something."


def test_a_wait_is_said_with_the_right_welsh_number_form(app):
    with in_language("cy"):
        assert str(throttle.describe_wait(120)) == "2 funud"
        assert str(throttle.describe_wait(300)) == "5 munud"
        assert str(throttle.describe_wait(40)) == "40 eiliad"
    with in_language("en"):
        assert str(throttle.describe_wait(60)) == "1 minute"


def test_the_audit_check_reads_in_welsh_on_the_page_and_in_english_by_default(app):
    workshop_id = make_workshop(make_user())
    join(workshop_id)
    check = audit.verify(workshop_id)
    with in_language("cy"):
        assert str(check.describe()) == (f"workshop:{workshop_id}: 2 ddigwyddiad, y ddau wedi'u "
                                         f"gwirio. Pen y gadwyn {check.head_hash}.")
    with in_language("en"):
        assert "2 events, all verified" in str(check.describe())


def test_the_command_line_speaks_welsh_when_the_install_is_set_to_welsh(app):
    workshop_id = make_workshop(make_user())
    join(workshop_id)
    app.config["LANGUAGE"] = "cy"
    with app.app_context():  # a fresh context, as a command has: it reads the install's language
        result = app.test_cli_runner().invoke(args=["verify-audit", "--workshop", str(workshop_id)])
        unknown = app.test_cli_runner().invoke(args=["verify-audit", "--workshop", "999"])
    assert result.exit_code == 0, result.output
    assert f"workshop:{workshop_id}: 2 ddigwyddiad" in result.output
    assert "verified" not in result.output
    assert unknown.exit_code == 1 and "Does dim gweithdy 999." in unknown.output
