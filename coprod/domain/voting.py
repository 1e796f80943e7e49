"""Vote rounds: dot voting with a budget, or agree / unsure / disagree, and how votes add up."""

from dataclasses import dataclass
from enum import StrEnum

from .errors import Conflict, InvalidInput
from .i18n import _, ngettext


class VoteMode(StrEnum):
    DOTS = "dots"
    AGREE = "agree"


MODE_LABELS = {VoteMode.DOTS: _("Dot voting"), VoteMode.AGREE: _("Agree, not sure or disagree")}

# Stored values for agree mode; dots are stored as the number of dots on the card.
AGREE_VALUES = {"agree": 1, "unsure": 0, "disagree": -1}
AGREE_NAMES = {value: name for name, value in AGREE_VALUES.items()}

DEFAULT_BUDGET, DEFAULT_MAX_PER_CARD = 5, 2
MAX_BUDGET = 20


@dataclass(frozen=True)
class RoundRules:
    mode: VoteMode
    budget: int | None  # dots each person may spend (None in agree mode)
    max_per_card: int  # dots one person may put on one card (1 in agree mode)


def round_rules(mode, budget=None, max_per_card=None) -> RoundRules:
    """The rules of a new round, checked: a budget of 1–20 dots, at most that many per card."""
    try:
        mode = VoteMode(mode)
    except ValueError:
        raise InvalidInput(_("Please choose dot voting or agree / not sure / disagree."),
                           field="mode") from None
    if mode is VoteMode.AGREE:
        return RoundRules(mode, None, 1)
    budget = DEFAULT_BUDGET if budget in (None, "") else budget
    max_per_card = DEFAULT_MAX_PER_CARD if max_per_card in (None, "") else max_per_card
    if not isinstance(budget, int) or not 1 <= budget <= MAX_BUDGET:
        raise InvalidInput(_("Please give each person between 1 and %(most)s dots.",
                             most=MAX_BUDGET), field="budget")
    if not isinstance(max_per_card, int) or not 1 <= max_per_card <= budget:
        raise InvalidInput(_("The most dots on one idea must be between 1 and the number of dots "
                             "each person has."), field="max_per_card")
    return RoundRules(mode, budget, max_per_card)


def parse_vote(rules: RoundRules, raw) -> int | None:
    """The value to store for what a phone sent, or None to withdraw the vote.

    Dots: the number of dots wanted on this card (0 withdraws, up to the per-card maximum).
    Agree mode: "agree", "unsure" or "disagree"; None withdraws.
    """
    if rules.mode is VoteMode.DOTS:
        if raw is None or raw == 0:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw <= rules.max_per_card:
            raise InvalidInput(_("You can put between 0 and %(most)s dots on one idea.",
                                 most=rules.max_per_card), field="value")
        return raw
    if raw is None:
        return None
    if raw not in AGREE_VALUES:
        raise InvalidInput(_("Please choose agree, not sure or disagree."), field="value")
    return AGREE_VALUES[raw]


def dots_used_after(rules: RoundRules, used: int, on_card: int, wanted: int) -> int:
    """How many dots a person has spent after setting this card to `wanted` dots.

    Raises Conflict (with a kind message) if that would go over their budget.
    """
    after = used - on_card + wanted
    if rules.budget is not None and after > rules.budget:
        left = rules.budget - (used - on_card)
        raise Conflict(
            _("You have used all your dots. Take a dot off another idea first.")
            if left <= 0 else ngettext("You only have %(count)s dot left.",
                                       "You only have %(count)s dots left.", left),
            field="value")
    return after


def merged_votes(rules: RoundRules, target: dict[int, int], source: dict[int, int]
                 ) -> tuple[dict[int, int], dict[int, int]]:
    """Votes on the target card after a source card is merged into it, and dots given back.

    Dots add up but never pass the per-card maximum; any excess goes back to the person's
    budget, so nobody ends up over budget. In agree mode a person who voted on both keeps their
    vote on the target (the wording that stays), and a vote only on the source moves across.
    Returns (new target votes by participant, dots refunded by participant).
    """
    combined = dict(target)
    refunds: dict[int, int] = {}
    for participant, value in source.items():
        if rules.mode is VoteMode.AGREE:
            combined.setdefault(participant, value)
            continue
        total = target.get(participant, 0) + value
        combined[participant] = min(total, rules.max_per_card)
        if total > rules.max_per_card:
            refunds[participant] = total - rules.max_per_card
    return combined, refunds


def supports(value: int) -> bool:
    """Whether a stored vote counts as support: any dots, or 'agree' (1)."""
    return value > 0


def tally(cards: list[int], groups: list[str], votes: list[tuple[int, str, int, bool, int]],
          round_voters: dict[str, int], mode: VoteMode) -> dict[int, dict[str, tuple]]:
    """Support for every card within every group, from the stored votes.

    `votes` are (card, group, value, entered by a helper, how many such votes) tuples, as a
    database counts them; `round_voters` counts, per group, the people who voted at all in the
    round. Returns {card: {group: (voters, supporters, dots, entered by helper)}}.
    In dot voting every group member who voted in the round is a voter for every card (choosing
    not to dot a card counts against it); in agree mode only those who answered that card are.
    """
    cells = {card: {group: [0, 0, 0, 0] for group in groups} for card in cards}
    for card, group, value, by_helper, count in votes:
        cell = cells.get(card, {}).get(group)
        if cell is None:
            continue  # a card outside the round: not part of these results
        cell[0] += count
        cell[1] += count * supports(value)
        cell[2] += count * max(value, 0)
        cell[3] += count * bool(by_helper)
    if mode is VoteMode.DOTS:
        for by_group in cells.values():
            for group, cell in by_group.items():
                cell[0] = round_voters.get(group, 0)
    return {card: {group: tuple(cell) for group, cell in by_group.items()}
            for card, by_group in cells.items()}
