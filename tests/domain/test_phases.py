import pytest

from coprod.domain.errors import Conflict
from coprod.domain.phases import (
    ORDER,
    PHONE_MESSAGES,
    VOTE_MESSAGES,
    Phase,
    check_move,
    may_join,
    participants_may_add_cards,
)


def test_the_phases_run_in_the_workshop_order():
    assert [phase.value for phase in ORDER] == [
        "lobby", "contribute", "review", "vote", "results", "build", "closed"]


def test_one_step_forward_or_back_is_allowed():
    for before, after in zip(ORDER, ORDER[1:], strict=False):
        check_move(before, after)
        check_move(after, before)


def test_jumping_or_staying_is_refused():
    with pytest.raises(Conflict):
        check_move(Phase.LOBBY, Phase.VOTE)
    with pytest.raises(Conflict):
        check_move(Phase.VOTE, Phase.VOTE)


def test_participants_add_cards_only_while_contributing():
    assert [p for p in ORDER if participants_may_add_cards(p)] == [Phase.CONTRIBUTE]


def test_joining_stops_when_closed():
    assert [p for p in ORDER if not may_join(p)] == [Phase.CLOSED]


def test_a_phone_says_time_to_vote_only_while_a_vote_is_open():
    assert "Time to vote" not in PHONE_MESSAGES[Phase.VOTE]  # the vote phase, no vote opened yet
    assert str(VOTE_MESSAGES["open"]).startswith("Time to vote")
    assert VOTE_MESSAGES["closed"] == "Voting has closed. Thank you."
    assert not any("Time to vote" in message for message in PHONE_MESSAGES.values())
