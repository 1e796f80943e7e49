"""Consensus per card, computed within each constituency so no group is outvoted by a bigger one."""

from dataclasses import dataclass
from enum import StrEnum

from .errors import InvalidInput
from .i18n import _


class Status(StrEnum):
    AGREED = "agreed"
    DIVISIVE = "divisive"
    OPEN = "open"


@dataclass(frozen=True)
class ConsensusRule:
    threshold: int = 60  # % support every counted group must reach for "agreed"
    min_voters: int = 2  # a group with fewer voters is shown but not counted
    divisive_gap: int = 30  # percentage points between groups that make a card "divisive"


def consensus_rule(threshold, min_voters, divisive_gap) -> ConsensusRule:
    """A workshop's rule, checked."""
    for value, field, low, high, text in (
            (threshold, "threshold", 1, 100, _("The agreement level must be between 1 and 100 %.")),
            (min_voters, "min_voters", 1, 100, _("The fewest voters must be between 1 and 100.")),
            (divisive_gap, "divisive_gap", 1, 100, _("The gap must be between 1 and 100 points."))):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(text, field=field)
    return ConsensusRule(threshold, min_voters, divisive_gap)


@dataclass(frozen=True)
class GroupSupport:
    constituency: str
    voters: int  # people of this group who could support the card (see services.voting)
    supporters: int

    @property
    def share(self) -> float:
        """Support within this group, as a percentage (0 when nobody voted)."""
        return 100.0 * self.supporters / self.voters if self.voters else 0.0


def counted(groups: list[GroupSupport], rule: ConsensusRule) -> list[GroupSupport]:
    """The groups with enough voters to count."""
    return [group for group in groups if group.voters >= rule.min_voters]


def status(groups: list[GroupSupport], rule: ConsensusRule) -> Status:
    """Agreed if every counted group reaches the threshold; divisive if counted groups differ by
    the gap or more; otherwise open. A card no group has enough voters for stays open."""
    shares = [group.share for group in counted(groups, rule)]
    if not shares:
        return Status.OPEN
    if min(shares) >= rule.threshold:
        return Status.AGREED
    if len(shares) >= 2 and max(shares) - min(shares) >= rule.divisive_gap:
        return Status.DIVISIVE
    return Status.OPEN


def rank_key(groups: list[GroupSupport], rule: ConsensusRule, card_status: Status) -> tuple:
    """Sort key for results: agreed first, then by the least-supportive counted group, so a
    card is ranked by how well every group backs it, never by how big one group is."""
    shares = [group.share for group in counted(groups, rule)] or [0.0]
    order = {Status.AGREED: 0, Status.OPEN: 1, Status.DIVISIVE: 2}[card_status]
    return (order, -min(shares), -sum(shares) / len(shares))
