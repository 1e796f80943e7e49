"""Every fixed value people see has exactly one label, and the browser gets them all."""

import json

from coprod.domain import labels, outlines
from coprod.domain.cards import CardKind, CardState
from coprod.domain.consensus import Status
from coprod.domain.i18n import Message


def test_every_value_has_one_label():
    assert set(labels.CONSENSUS_LABELS) == set(Status)
    assert set(labels.KIND_LABELS) == set(labels.KIND_HEADINGS) == set(labels.KIND_HINTS) == \
        set(CardKind)
    assert set(labels.CARD_STATE_LABELS) == set(CardState)
    assert tuple(labels.SECTION_LABELS) == outlines.SECTIONS  # in job-description order
    assert tuple(labels.JOB_DETAIL_LABELS) == outlines.FIELDS
    assert set(labels.ORIGIN_LABELS) == set(outlines.ORIGINS)
    assert set(labels.COMPETENCE_TYPE_LABELS) == set(outlines.COMPETENCE_TYPES)
    assert set(labels.REQUIREMENT_LABELS) == set(outlines.REQUIREMENTS)
    assert set(labels.ASSESSMENT_LABELS) == set(outlines.ASSESSMENTS)


def test_a_card_never_voted_on_says_so():
    assert labels.consensus_label("divisive") == "Groups differ"
    assert labels.consensus_label(None) == "Not voted on"


def test_results_use_plain_words_each_with_its_rule_in_one_sentence():
    assert [str(labels.consensus_label(status)) for status in ("agreed", "divisive", "open")] == [
        "Agreed by every group", "Groups differ", "Not decided"]
    assert set(labels.CONSENSUS_RULES) == set(Status)
    for status in Status:
        rule = str(labels.consensus_rule_text(status))
        assert rule.endswith(".") and rule.count(".") == 1  # one plain sentence
    assert labels.consensus_rule_text(None) is None


def test_the_results_summary_counts_each_status_in_words():
    summary = labels.RESULTS_SUMMARY_LABELS
    assert list(summary) == [Status.AGREED, Status.DIVISIVE, Status.OPEN]  # the wall's order

    def counted(status, count):  # the page fills in the count; here, as English would read
        return str(Message(summary[status].msgid, summary[status].plural, count))

    assert counted(Status.AGREED, 5) == "5 agreed by every group"
    assert counted(Status.DIVISIVE, 2) == "2 where groups differ"
    assert counted(Status.OPEN, 1) == "1 not decided"


def test_the_front_end_gets_every_label_as_json_with_ordered_lists_kept_in_order():
    # Flask's JSON sorts object keys, so anything whose order matters goes as [key, label] pairs.
    sent = json.loads(json.dumps(labels.for_front_end(), sort_keys=True, default=str))
    assert [key for key, _ in sent["sections"]] == list(outlines.SECTIONS)
    assert sent["consensus"] == {**{status.value: labels.CONSENSUS_LABELS[status] for status in Status},
                                 "none": labels.NOT_VOTED}
    assert sent["consensus_rules"]["divisive"] == labels.CONSENSUS_RULES[Status.DIVISIVE]
    assert sent["results_order"] == ["agreed", "divisive", "open"]
    assert sent["kinds"]["competence"] == labels.KIND_LABELS[CardKind.COMPETENCE]
    assert sent["card_states"]["pending"] == labels.CARD_STATE_LABELS[CardState.PENDING]
    assert dict(sent["assessments"]) == labels.ASSESSMENT_LABELS
