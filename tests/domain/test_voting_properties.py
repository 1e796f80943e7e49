"""Property-based checks of the voting rules: whatever people do, the rules hold."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coprod.domain import voting
from coprod.domain.consensus import ConsensusRule, GroupSupport, Status, rank_key, status
from coprod.domain.errors import Conflict, InvalidInput

dot_rules = st.builds(
    lambda budget, cap: voting.RoundRules(voting.VoteMode.DOTS, budget, min(cap, budget)),
    st.integers(1, 8), st.integers(1, 4))


@given(dot_rules, st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4)), max_size=60))
def test_nobody_exceeds_their_budget_whatever_the_order_of_taps(rules, taps):
    on_card, used = {}, 0
    for card, wanted in taps:
        try:
            value = voting.parse_vote(rules, wanted)
            used = voting.dots_used_after(rules, used, on_card.get(card, 0), value or 0)
        except (Conflict, InvalidInput):
            continue  # refused: nothing changes
        on_card[card] = value or 0
        assert used <= rules.budget
        assert all(0 <= dots <= rules.max_per_card for dots in on_card.values())
        assert used == sum(on_card.values())


def per_person_votes(rules):
    """Votes of up to 6 people on one card, each within the per-card limit."""
    return st.dictionaries(st.integers(1, 6), st.integers(1, rules.max_per_card), max_size=6)


@given(dot_rules.flatmap(lambda rules: st.tuples(st.just(rules), per_person_votes(rules),
                                                 per_person_votes(rules))))
def test_a_merge_keeps_everyone_within_the_card_limit_and_their_budget(case):
    rules, target, source = case
    merged, refunds = voting.merged_votes(rules, target, source)
    for person in set(target) | set(source):
        before = target.get(person, 0) + source.get(person, 0)
        after = merged.get(person, 0)
        assert after <= rules.max_per_card
        assert after + refunds.get(person, 0) == before  # nothing lost, nothing made up
        assert after >= max(target.get(person, 0), source.get(person, 0))


CARDS = range(4)


def full_ballots(rules):
    """Up to 6 people's dots across 4 cards, each within the per-card limit and their budget
    (cards filled in order until the budget runs out, as taps the server accepted would)."""
    def within_budget(wishes):
        ballot, left = {}, rules.budget
        for card, wanted in zip(CARDS, wishes, strict=True):
            if min(wanted, left):
                ballot[card] = min(wanted, left)
                left -= ballot[card]
        return ballot
    one_person = st.lists(st.integers(0, rules.max_per_card), min_size=len(CARDS),
                          max_size=len(CARDS)).map(within_budget)
    return st.dictionaries(st.integers(1, 6), one_person, max_size=6)


def merge_into(rules, ballots: dict, source: int, target: int) -> dict:
    """Apply merged_votes to everyone's ballot, as services.merges does: {person: refund}."""
    merged, refunds = voting.merged_votes(
        rules, {person: dots[target] for person, dots in ballots.items() if target in dots},
        {person: dots.pop(source) for person, dots in ballots.items() if source in dots})
    for person, dots in merged.items():
        ballots[person][target] = dots
    return refunds


@given(dot_rules.flatmap(lambda rules: st.tuples(
    st.just(rules), full_ballots(rules),
    st.lists(st.tuples(st.sampled_from(CARDS), st.sampled_from(CARDS)), max_size=3))))
def test_merges_keep_every_whole_ballot_within_budget_and_give_back_what_they_take(case):
    rules, ballots, merges = case
    spent_before = {person: sum(dots.values()) for person, dots in ballots.items()}
    given_back = Counter()
    merged_away = set()
    for source, target in merges:
        if source == target or {source, target} & merged_away:
            continue  # a card already merged away is not offered again
        refunds = merge_into(rules, ballots, source, target)
        merged_away.add(source)
        assert all(dots >= 0 for dots in refunds.values())  # a merge never takes dots
        given_back.update(refunds)
    for person, dots in ballots.items():
        assert sum(dots.values()) <= rules.budget
        assert all(1 <= on_card <= rules.max_per_card for on_card in dots.values())
        assert not set(dots) & merged_away  # nothing left on a merged-away card
        assert spent_before[person] == sum(dots.values()) + given_back[person]


@given(st.dictionaries(st.integers(1, 6), st.sampled_from([-1, 0, 1]), max_size=6),
       st.dictionaries(st.integers(1, 6), st.sampled_from([-1, 0, 1]), max_size=6))
def test_agree_votes_merge_one_per_person_keeping_the_target_answer(target, source):
    rules = voting.RoundRules(voting.VoteMode.AGREE, None, 1)
    merged, refunds = voting.merged_votes(rules, target, source)
    assert refunds == {}
    assert set(merged) == set(target) | set(source)
    assert all(merged[person] == target[person] for person in target)


GROUPS = ["Service user or patient", "Carer", "Staff"]
votes_strategy = st.lists(st.tuples(st.integers(1, 4), st.sampled_from(GROUPS),
                                    st.sampled_from([-1, 0, 1, 2]), st.booleans()), max_size=80)


def counted(votes):
    """The votes as the database hands them over: (card, group, value, helper, how many)."""
    return [(*vote, count) for vote, count in Counter(votes).items()]


@given(votes_strategy)
def test_tallies_equal_the_stored_votes(votes):
    cards = [1, 2, 3, 4]
    cells = voting.tally(cards, GROUPS, counted(votes), {}, voting.VoteMode.AGREE)
    for card in cards:
        for group in GROUPS:
            mine = [v for c, g, v, _ in votes if (c, g) == (card, group)]
            voters, supporters, dots, helper = cells[card][group]
            assert voters == len(mine)
            assert supporters == sum(1 for v in mine if v > 0)
            assert dots == sum(max(v, 0) for v in mine)
            assert helper == sum(1 for c, g, _, h in votes if (c, g) == (card, group) and h)


@given(votes_strategy, st.dictionaries(st.sampled_from(GROUPS), st.integers(0, 20)))
def test_dot_voting_counts_everyone_who_voted_in_the_round_as_a_voter(votes, round_voters):
    cells = voting.tally([1, 2, 3, 4], GROUPS, counted(votes), round_voters,
                         voting.VoteMode.DOTS)
    for by_group in cells.values():
        for group, (voters, *_rest) in by_group.items():
            assert voters == round_voters.get(group, 0)


groups_strategy = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 30)).map(
        lambda pair: (max(pair), min(pair))), min_size=1, max_size=4)
rules_strategy = st.builds(ConsensusRule, st.integers(1, 100), st.integers(1, 5),
                           st.integers(1, 100))


def as_groups(pairs):
    return [GroupSupport(f"Group {i}", voters, supporters)
            for i, (voters, supporters) in enumerate(pairs)]


@given(groups_strategy, rules_strategy)
def test_the_status_follows_the_rule(pairs, rule):
    groups = as_groups(pairs)
    counted = [100 * g.supporters / g.voters for g in groups if g.voters >= rule.min_voters]
    result = status(groups, rule)
    if counted and all(share >= rule.threshold for share in counted):
        assert result is Status.AGREED
    elif len(counted) >= 2 and max(counted) - min(counted) >= rule.divisive_gap:
        assert result is Status.DIVISIVE
    else:
        assert result is Status.OPEN


@given(groups_strategy, rules_strategy, st.integers(2, 50))
def test_a_bigger_group_never_outweighs_a_smaller_one(pairs, rule, factor):
    """Multiplying one group's size (same proportions) changes neither status nor rank."""
    groups = as_groups(pairs)
    bigger = [GroupSupport(groups[0].constituency, groups[0].voters * factor,
                           groups[0].supporters * factor), *groups[1:]]
    if (groups[0].voters >= rule.min_voters) != (bigger[0].voters >= rule.min_voters):
        return  # growing past the minimum number of voters is allowed to count the group
    assert status(bigger, rule) is status(groups, rule)
    assert rank_key(bigger, rule, status(bigger, rule)) == rank_key(groups, rule,
                                                                     status(groups, rule))


def test_round_settings_are_checked_with_kind_messages():
    assert voting.round_rules("dots") == voting.RoundRules(voting.VoteMode.DOTS, 5, 2)
    assert voting.round_rules("agree").budget is None
    with pytest.raises(InvalidInput, match="between 1 and 20 dots"):
        voting.round_rules("dots", 0, 1)
    with pytest.raises(InvalidInput, match="most dots on one idea"):
        voting.round_rules("dots", 3, 4)
    with pytest.raises(InvalidInput):
        voting.round_rules("raffle")


def test_a_full_budget_says_so_kindly():
    rules = voting.RoundRules(voting.VoteMode.DOTS, 5, 2)
    with pytest.raises(Conflict, match="used all your dots"):
        voting.dots_used_after(rules, 5, 0, 1)
    with pytest.raises(Conflict, match="only have 1 dot left"):
        voting.dots_used_after(rules, 4, 0, 2)


def test_agree_values_and_withdrawals():
    agree = voting.RoundRules(voting.VoteMode.AGREE, None, 1)
    assert [voting.parse_vote(agree, v) for v in ("agree", "unsure", "disagree", None)] == [
        1, 0, -1, None]
    dots = voting.RoundRules(voting.VoteMode.DOTS, 5, 2)
    assert voting.parse_vote(dots, 0) is None
    for bad in (3, -1, "2", True):
        with pytest.raises(InvalidInput):
            voting.parse_vote(dots, bad)
