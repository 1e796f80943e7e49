"""The rules behind "Lock the room": who may join, and which pace of joining a room cannot make."""

from datetime import datetime, timedelta

import pytest

from coprod.domain import joining
from coprod.domain.errors import InvalidInput

NOW = datetime(2027, 3, 14, 10, 30)


def spread(count: int, over_seconds: float, ending: datetime = NOW) -> list[datetime]:
    """`count` join times spread evenly over the seconds before `ending`."""
    step = over_seconds / count
    return [ending - timedelta(seconds=over_seconds - step * index) for index in range(count)]


def test_a_locked_room_turns_new_people_away_kindly():
    joining.check_new_person(False)
    with pytest.raises(joining.RoomLocked) as raised:
        joining.check_new_person(True)
    assert raised.value.status == 403
    assert raised.value.message == ("This workshop is not taking new people just now. "
                                    "Please ask the facilitator.")


def test_a_room_of_300_behind_one_address_joining_in_one_minute_is_not_a_burst():
    pace = joining.join_pace(spread(300, 59), total=300, expected_size=300, now=NOW)
    assert pace.busiest_minute == 300 and pace.last_minute == 300
    assert pace.warnings == []


def test_joins_beyond_the_expected_size_in_one_minute_are_a_burst():
    pace = joining.join_pace(spread(301, 59), total=301, expected_size=300, now=NOW)
    assert pace.burst and pace.over_expected
    assert pace.warnings == ["burst", "over_expected"]


def test_a_small_room_starting_quickly_is_not_called_a_burst():
    # 20 expected; 25 joined in a minute (a few retried on a second phone): over the expected
    # size, said gently, but no burst until more than 60 arrive in one minute.
    pace = joining.join_pace(spread(25, 50), total=25, expected_size=20, now=NOW)
    assert pace.warnings == ["over_expected"]
    assert joining.join_pace(spread(61, 50), total=61, expected_size=20, now=NOW).burst
    assert not joining.join_pace(spread(60, 50), total=60, expected_size=20, now=NOW).burst


def test_without_an_expected_size_the_largest_room_sets_the_bar():
    assert joining.burst_limit(None) == joining.ROOM_MOST == 300
    assert not joining.join_pace(spread(300, 59), total=300, expected_size=None, now=NOW).warnings
    assert joining.join_pace(spread(301, 59), total=301, expected_size=None, now=NOW).warnings == \
        ["burst"]


def test_a_script_joining_thousands_a_minute_warns_whatever_the_expected_size():
    stuffed = spread(6954, 60)
    for expected in (None, 20, 300, joining.EXPECTED_MOST):
        assert joining.join_pace(stuffed, total=6954, expected_size=expected, now=NOW).burst


def test_the_same_number_spread_over_ten_minutes_is_no_burst():
    pace = joining.join_pace(spread(400, 600), total=400, expected_size=None, now=NOW)
    assert pace.busiest_minute < 301 and not pace.burst
    assert pace.last_minute == pytest.approx(40, abs=1)


def test_an_old_burst_is_still_reported_once_the_room_is_quiet():
    burst = spread(500, 30, ending=NOW - timedelta(hours=1))
    pace = joining.join_pace(burst, total=500, expected_size=None, now=NOW)
    assert pace.last_minute == 0 and pace.recent == ()
    assert pace.burst and pace.busiest_minute == 500


def test_removed_people_leave_the_total_but_not_the_history():
    pace = joining.join_pace(spread(12, 120), total=9, expected_size=10, now=NOW)
    assert pace.total == 9 and not pace.over_expected


def test_the_last_minute_comes_in_seconds_so_a_console_can_let_it_fall():
    times = [NOW - timedelta(seconds=5), NOW - timedelta(seconds=5.5), NOW - timedelta(seconds=59.9),
             NOW - timedelta(seconds=60), NOW + timedelta(milliseconds=3)]
    pace = joining.join_pace(times, total=5, expected_size=None, now=NOW)
    assert pace.recent == ((0, 1), (5, 2), (59, 1))
    assert pace.last_minute == 4


@pytest.mark.parametrize("typed, kept", [(None, None), ("", None), (1, 1), (300, 300),
                                         (joining.EXPECTED_MOST, joining.EXPECTED_MOST)])
def test_an_expected_size_is_a_sensible_number_of_people_or_nothing(typed, kept):
    assert joining.clean_expected_size(typed) == kept


@pytest.mark.parametrize("typed", [0, -5, joining.EXPECTED_MOST + 1, 10**30, True, "300", 2.5])
def test_an_expected_size_out_of_reach_is_refused_kindly(typed):
    with pytest.raises(InvalidInput) as raised:
        joining.clean_expected_size(typed)
    assert raised.value.field == "expected_size" and "leave it empty" in raised.value.message
