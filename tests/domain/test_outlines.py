"""Outline changes and version comparison, as plain rules."""

import pytest

from coprod.domain import outlines
from coprod.domain.errors import InvalidInput, NotFound
from coprod.domain.labels import SIGN_OFF_NEEDS
from coprod.domain.outline_templates import starting_outline


def navigator():
    return starting_outline("Navigator", "Community mental health centre", "Helps people.",
                            "navigator")


def test_templates_start_with_job_details_and_values_but_no_responsibilities():
    content = navigator()
    assert (content["career_level"], content["band"]) == (4, "4")
    assert content["responsibilities"] == [] and content["competences"] == []
    assert len(content["values"]) == 4 and content["person_spec"][0]["requirement"] == "essential"
    blank = starting_outline("Peer worker", "", "", None)
    assert blank["band"] is None and blank["values"] == []


def test_adding_a_card_keeps_its_link_and_wording():
    change = outlines.add_item(navigator(), "responsibilities", "Helps people find support",
                               "card", [7])
    item = change.content["responsibilities"][0]
    assert item["card_ids"] == [7] and item["origin"] == "card"
    assert item["original_text"] == "Helps people find support"
    assert "from an idea" in change.summary


def test_competences_get_their_details_and_can_be_set():
    content = outlines.add_item(navigator(), "competences", "Knows local groups", "room").content
    item_id = content["competences"][0]["id"]
    assert content["competences"][0]["type"] is None  # not decided yet
    changed = outlines.update_item(content, "competences", item_id, {
        "type": "knowledge", "level": 4, "requirement": "desirable",
        "assessment": ["interview", "application"], "text": "Knows the local support groups"})
    item = changed.content["competences"][0]
    assert (item["type"], item["level"], item["requirement"]) == ("knowledge", 4, "desirable")
    assert item["assessment"] == ["application", "interview"]  # in the standard order
    assert item["original_text"] == "Knows local groups"


def test_details_nobody_chose_are_not_decided_yet_never_a_default():
    content = outlines.add_item(navigator(), "competences", "Listens without judging", "card",
                                [3]).content
    content = outlines.add_item(content, "person_spec", "Lived experience", "room").content
    competence, spec = content["competences"][0], content["person_spec"][-1]
    assert {key: competence[key] for key in ("type", "level", "requirement", "assessment")} == {
        "type": None, "level": None, "requirement": None, "assessment": []}
    assert (spec["requirement"], spec["assessment"]) == (None, [])


def test_a_blank_choice_stays_not_decided_and_a_chosen_one_can_be_undone():
    content = outlines.add_item(navigator(), "competences", "Knows local groups", "room").content
    item_id = content["competences"][0]["id"]
    blank = outlines.update_item(content, "competences", item_id, {
        "type": "", "requirement": "", "level": "", "assessment": [], "text": "Knows local groups"})
    item = blank.content["competences"][0]
    assert (item["type"], item["requirement"], item["level"], item["assessment"]) == (
        None, None, None, [])
    assert blank.summary.endswith("no change")
    chosen = outlines.update_item(content, "competences", item_id,
                                  {"type": "behaviour", "requirement": "essential"}).content
    undone = outlines.update_item(chosen, "competences", item_id,
                                  {"type": None, "requirement": None}).content
    assert chosen["competences"][0]["type"] == "behaviour"
    assert (undone["competences"][0]["type"], undone["competences"][0]["requirement"]) == (
        None, None)


def test_sign_off_needs_a_responsibility_and_nothing_else():
    content = navigator()
    assert outlines.sign_off_needs(content) == ["responsibility"]
    assert SIGN_OFF_NEEDS["responsibility"] == "Add at least one responsibility."
    content = outlines.add_item(content, "competences", "Knows local groups", "room").content
    assert outlines.sign_off_needs(content) == ["responsibility"]
    content = outlines.add_item(content, "responsibilities", "Helps people", "room").content
    # The competence's details are not decided yet: that does not hold a sign-off back.
    assert content["competences"][0]["type"] is None
    assert outlines.sign_off_needs(content) == []


def test_bad_details_are_refused_and_change_nothing():
    content = outlines.add_item(navigator(), "competences", "Knows local groups", "room").content
    item_id = content["competences"][0]["id"]
    for changes in ({"type": "vibe"}, {"level": 12}, {"requirement": "maybe"},
                    {"assessment": ["guessing"]}, {"assessment": "interview"}, {"colour": "blue"},
                    {"text": " "}, {"text": "x" * 401}):
        with pytest.raises(InvalidInput):
            outlines.update_item(content, "competences", item_id, changes)
    assert content["competences"][0]["type"] is None
    with pytest.raises(NotFound):
        outlines.remove_item(content, "competences", "nope")
    with pytest.raises(InvalidInput):
        outlines.add_item(content, "hobbies", "Knits", "room")


def test_an_out_of_range_level_names_the_field_it_came_from():
    content = outlines.add_item(navigator(), "competences", "Knows local groups", "room").content
    item_id = content["competences"][0]["id"]
    with pytest.raises(InvalidInput, match="level for this competence") as competence:
        outlines.update_item(content, "competences", item_id, {"level": 10})
    assert competence.value.field == "level"
    with pytest.raises(InvalidInput, match="Career Framework level") as role:
        outlines.update_fields(content, {"career_level": 10})
    assert role.value.field == "career_level"


def test_moving_reorders_and_between_sections_resets_details():
    content = navigator()
    for text in ("First", "Second", "Third"):
        content = outlines.add_item(content, "responsibilities", text, "room").content
    third = content["responsibilities"][2]["id"]
    content = outlines.move_item(content, "responsibilities", third, "responsibilities", 0).content
    assert [i["text"] for i in content["responsibilities"]] == ["Third", "First", "Second"]
    content = outlines.move_item(content, "responsibilities", third, "competences", 0).content
    assert content["competences"][0]["text"] == "Third"
    assert content["competences"][0]["requirement"] is None  # a new section's details start open


def test_job_details_are_checked():
    content = outlines.update_fields(navigator(), {"band": "8a", "career_level": 6}).content
    assert (content["band"], content["career_level"]) == ("8a", 6)
    for changes in ({"band": "10"}, {"career_level": 0}, {"title": ""}, {"salary": "1"},
                    {"purpose": "x" * 401}):
        with pytest.raises(InvalidInput):
            outlines.update_fields(content, changes)


def test_diff_names_added_removed_reworded_and_detail_changes():
    before = navigator()
    before = outlines.add_item(before, "responsibilities", "Keeps", "room").content
    before = outlines.add_item(before, "responsibilities", "Goes", "room").content
    before = outlines.add_item(before, "competences", "Listens", "room").content
    keep, goes = (i["id"] for i in before["responsibilities"])
    listens = before["competences"][0]["id"]
    after = outlines.remove_item(before, "responsibilities", goes).content
    after = outlines.update_item(after, "responsibilities", keep, {"text": "Keeps in touch"}).content
    after = outlines.update_item(after, "competences", listens, {"type": "behaviour"}).content
    after = outlines.add_item(after, "values", "Kind", "room").content
    after = outlines.update_fields(after, {"band": "5"}).content
    changes = outlines.diff(before, after)
    assert [f["field"] for f in changes["fields"]] == ["band"]
    assert [i["text"] for i in changes["sections"]["responsibilities"]["removed"]] == ["Goes"]
    assert changes["sections"]["responsibilities"]["reworded"][0]["after"] == "Keeps in touch"
    assert [i["text"] for i in changes["sections"]["competences"]["changed"]] == ["Listens"]
    assert [i["text"] for i in changes["sections"]["values"]["added"]] == ["Kind"]
    assert outlines.diff(after, after)["unchanged"] is True


@pytest.mark.parametrize("bad", ["Rings back\x07", "Rings back \ud800"])
def test_outline_text_that_cannot_be_stored_is_refused_on_its_field(bad):
    content = outlines.add_item(navigator(), "values", "Kind", "room").content
    item_id = content["values"][-1]["id"]
    for change, field in ((lambda: outlines.add_item(content, "values", bad, "room"), "text"),
                          (lambda: outlines.update_item(content, "values", item_id, {"text": bad}),
                           "text"),
                          (lambda: outlines.update_fields(content, {"setting": bad}), "setting"),
                          (lambda: outlines.update_fields(content, {"reporting_lines": bad}),
                           "reporting_lines")):
        with pytest.raises(InvalidInput) as raised:
            change()
        assert raised.value.field == field
        assert "has a character we cannot show" in raised.value.message


def test_job_details_are_tidied_and_limited_like_every_other_line():
    content = navigator()
    changed = outlines.update_fields(content, {"title": "  Navigator\n(community)  ",
                                               "purpose": "Helps\tpeople"}).content
    assert (changed["title"], changed["purpose"]) == ("Navigator (community)", "Helps people")
    with pytest.raises(InvalidInput) as raised:
        outlines.update_fields(content, {"title": "   "})
    assert (raised.value.field, raised.value.message) == (
        "title", "The job title: please write something.")
    with pytest.raises(InvalidInput) as raised:
        outlines.update_fields(content, {"purpose": "x" * 401})
    assert raised.value.message == "The purpose can be up to 400 characters. This one has 401."
