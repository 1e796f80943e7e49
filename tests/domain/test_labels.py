"""Every fixed value people see has exactly one label, and the browser gets them all."""

import json

from coprod.domain import labels, outlines
from coprod.domain.cards import CardKind, CardState
from coprod.domain.consensus import Status


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
    assert labels.consensus_label("divisive") == "Divisive"
    assert labels.consensus_label(None) == "Not voted on"


def test_the_front_end_gets_every_label_as_json_with_ordered_lists_kept_in_order():
    # Flask's JSON sorts object keys, so anything whose order matters goes as [key, label] pairs.
    sent = json.loads(json.dumps(labels.for_front_end(), sort_keys=True))
    assert [key for key, _ in sent["sections"]] == list(outlines.SECTIONS)
    assert sent["consensus"] == {**{status.value: labels.CONSENSUS_LABELS[status] for status in Status},
                                 "none": labels.NOT_VOTED}
    assert sent["kinds"]["competence"] == labels.KIND_LABELS[CardKind.COMPETENCE]
    assert sent["card_states"]["pending"] == labels.CARD_STATE_LABELS[CardState.PENDING]
    assert dict(sent["assessments"]) == labels.ASSESSMENT_LABELS
