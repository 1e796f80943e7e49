from coprod.domain.joincode import ALPHABET, LENGTH, display_join_code, new_join_code, normalise_join_code

LOOK_ALIKES = "0O1IL2Z5S8B6GUVQD"


def test_codes_avoid_look_alike_characters():
    assert not set(LOOK_ALIKES) & set(ALPHABET)
    for _ in range(200):
        code = new_join_code()
        assert len(code) == LENGTH and set(code) <= set(ALPHABET)


def test_codes_differ():
    assert len({new_join_code() for _ in range(200)}) > 195


def test_typed_codes_are_forgiving_about_case_spaces_and_dashes():
    assert normalise_join_code(" k7m-x3p ") == "K7MX3P"
    assert normalise_join_code("K7M X3P") == "K7MX3P"


def test_wrong_codes_are_refused():
    for typed in ("", "K7MX3", "K7MX3PP", "K7MX30", "K7MX36", "OOOOOO", None, 123456):
        assert normalise_join_code(typed) is None


def test_display_splits_the_code_for_reading_aloud():
    assert display_join_code("K7MX3P") == "K7M X3P"
