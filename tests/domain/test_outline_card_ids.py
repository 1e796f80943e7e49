"""An outline carried into a project's next session: its lines point at that session's ideas."""

from coprod.domain.outlines import add_item, blank_outline, with_card_ids_mapped


def test_every_line_in_every_section_points_at_the_new_ideas_and_nothing_else_changes():
    outline = blank_outline("Navigator")
    for section, text, cards in (("responsibilities", "Helps people find support", [9]),
                                 ("competences", "Knows local groups", [10, 3]),
                                 ("values", "Kindness", [])):
        outline = add_item(outline, section, text, "card" if cards else "room", cards).content
    carried = with_card_ids_mapped(outline, {9: 109, 10: 110, 3: 103})
    assert [line["card_ids"] for line in carried["responsibilities"]] == [[109]]
    assert [line["card_ids"] for line in carried["competences"]] == [[110, 103]]
    assert carried["values"][0]["card_ids"] == []
    assert _without_card_ids(carried) == _without_card_ids(outline)  # wording, languages: as before
    assert outline["responsibilities"][0]["card_ids"] == [9]  # the original is untouched


def test_an_id_the_map_does_not_know_is_kept_so_no_line_loses_its_evidence():
    outline = add_item(blank_outline("HCA"), "responsibilities", "Takes blood pressure", "card",
                       [4]).content
    assert with_card_ids_mapped(outline, {})["responsibilities"][0]["card_ids"] == [4]


def _without_card_ids(content: dict) -> dict:
    return {key: [{name: value for name, value in line.items() if name != "card_ids"}
                  for line in value] if isinstance(value, list) else value
            for key, value in content.items()}
