"""Merging duplicate cards, and undoing a merge.

The merged card keeps a link to its source (`card.merged_into_id` and a `card_merge` row), its
authorship stays with the source card, and votes move across within every person's limits. What
was moved is recorded, so an undo puts every vote back exactly. Merges happen between votes, not
during one, so nobody's ballot changes under their thumb.
"""

import json

from sqlalchemy import or_, select

from ..domain import voting as vote_rules
from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.cards import CardState
from ..domain.clock import utcnow
from ..domain.errors import Conflict, NotFound
from ..domain.i18n import _
from ..extensions import db
from ..models import Ballot, Card, CardMerge, RoundCard, Vote, VoteRound
from .access import row_in_workshop, workshop_for_user
from .cards import announce_card, card_in, staff_card_view
from .events import Audience
from .unit import Unit, unit_of_work
from .voting import open_round_of, rules_of

MERGEABLE = (CardState.VISIBLE.value, CardState.PENDING.value, CardState.HIDDEN.value)


def merge_cards(actor: Actor, workshop_id: int, source_id, target_id) -> dict:
    """Fold the source card into the target card (which keeps its wording)."""
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        _refuse_during_a_vote(workshop.id)
        source, target = card_in(workshop.id, source_id), card_in(workshop.id, target_id)
        if source.id == target.id:
            raise Conflict(_("Please choose two different ideas to merge."))
        if source.state not in MERGEABLE or target.state not in MERGEABLE:
            raise Conflict(_("One of these ideas was merged already. Please undo that first."))
        moves = [_move_votes(vote_round, source, target)
                 for vote_round in _rounds_with_votes_on(source.id)]
        merge = CardMerge(workshop_id=workshop.id, target_id=target.id, source_id=source.id,
                          source_state=source.state, moves=json.dumps(moves),
                          merged_by_user_id=actor.user_id)
        was_public = source.state == CardState.VISIBLE.value
        source.state, source.merged_into_id = CardState.MERGED.value, target.id
        unit.session.add(merge)
        unit.session.flush()
        unit.audit("card.merged", {"merge_id": merge.id, "source_id": source.id,
                                   "target_id": target.id, "moves": moves},
                   workshop_id=workshop.id)
        _announce_merge(unit, source, target, was_public)
        return {"merge_id": merge.id, "target": staff_card_view(target)}


def undo_merge(actor: Actor, workshop_id: int, merge_id) -> dict:
    """Split a merged card out again, with every vote back where it was."""
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        _refuse_during_a_vote(workshop.id)
        merge = row_in_workshop(CardMerge, workshop.id, merge_id)
        if merge is None or merge.undone_at:
            raise NotFound(_("We could not find that merge. It may have been undone already."))
        if _later_merge_touching(merge):
            raise Conflict(_("These ideas were merged again since. Please undo the later merge "
                             "first."))
        source, target = card_in(workshop.id, merge.source_id), card_in(workshop.id, merge.target_id)
        for move in reversed(json.loads(merge.moves)):
            _restore_votes(move, source, target)
        source.state, source.merged_into_id = merge.source_state, None
        merge.undone_at = utcnow()
        unit.audit("card.merge_undone", {"merge_id": merge.id, "source_id": source.id,
                                         "target_id": target.id}, workshop_id=workshop.id)
        announce_card(unit, source, "card.added")
        announce_card(unit, target, "card.changed")
        unit.refresh(workshop.id, "tally")
        return {"source": staff_card_view(source), "target": staff_card_view(target)}


def _later_merge_touching(merge: CardMerge) -> bool:
    # Undo goes newest first for the cards involved, so restored votes are exactly the old ones.
    cards = (merge.source_id, merge.target_id)
    return db.session.scalar(select(CardMerge.id).where(
        CardMerge.workshop_id == merge.workshop_id, CardMerge.id > merge.id,
        CardMerge.undone_at.is_(None),
        or_(CardMerge.target_id.in_(cards), CardMerge.source_id.in_(cards))).limit(1)) is not None


def _refuse_during_a_vote(workshop_id: int) -> None:
    if open_round_of(workshop_id):
        raise Conflict(_("Please close the vote before merging, so nobody's votes change "
                         "while they are voting."))


def _rounds_with_votes_on(card_id: int) -> list[VoteRound]:
    return list(db.session.scalars(select(VoteRound).where(VoteRound.id.in_(
        select(Vote.round_id).where(Vote.card_id == card_id))).order_by(VoteRound.id)))


def _votes(round_id: int, card_id: int) -> dict[int, Vote]:
    return {vote.participant_id: vote for vote in db.session.scalars(
        select(Vote).where(Vote.round_id == round_id, Vote.card_id == card_id))}


def _move_votes(vote_round: VoteRound, source: Card, target: Card) -> dict:
    """Move one round's votes from source to target; return what is needed to undo it."""
    if not db.session.get(RoundCard, (vote_round.id, target.id)):
        db.session.add(RoundCard(round_id=vote_round.id, card_id=target.id,
                                 position=len(vote_round.cards)))
    source_votes, target_votes = _votes(vote_round.id, source.id), _votes(vote_round.id, target.id)
    before_target = {pid: vote.value for pid, vote in target_votes.items()}
    combined, refunds = vote_rules.merged_votes(
        rules_of(vote_round), before_target, {pid: vote.value for pid, vote in source_votes.items()})
    move = {"round_id": vote_round.id,
            "source": [[pid, vote.value, vote.entered_by_user_id] for pid, vote in source_votes.items()],
            "target": [[pid, value] for pid, value in before_target.items()]}
    for vote in source_votes.values():
        db.session.delete(vote)
    db.session.flush()
    for pid, value in combined.items():
        _set_vote(vote_round, target.id, pid, value, target_votes.get(pid),
                  source_votes.get(pid))
    _adjust_ballots(vote_round.id, {pid: -dots for pid, dots in refunds.items()})
    return move


def _set_vote(vote_round: VoteRound, card_id: int, participant_id: int, value: int,
              existing: Vote | None, moved: Vote | None) -> None:
    if existing:
        existing.value = value
    else:
        db.session.add(Vote(round_id=vote_round.id, card_id=card_id, participant_id=participant_id,
                            value=value, cap=vote_round.max_per_card, mode=vote_round.mode,
                            entered_by_user_id=moved.entered_by_user_id if moved else None))


def _adjust_ballots(round_id: int, changes: dict[int, int]) -> None:
    for participant_id, change in changes.items():
        if change:
            ballot = db.session.scalars(select(Ballot).where(
                Ballot.round_id == round_id, Ballot.participant_id == participant_id)).one()
            ballot.used += change
    db.session.flush()


def _restore_votes(move: dict, source: Card, target: Card) -> None:
    vote_round = db.session.get(VoteRound, move["round_id"])
    now_on_target = _votes(vote_round.id, target.id)
    before = dict((pid, value) for pid, value in move["target"])
    source_votes = {pid: (value, entered_by) for pid, value, entered_by in move["source"]}
    refunded = {}
    if vote_round.mode == vote_rules.VoteMode.DOTS.value:
        for pid, (value, _) in source_votes.items():
            after = now_on_target[pid].value if pid in now_on_target else 0
            refunded[pid] = before.get(pid, 0) + value - after
    for pid, vote in now_on_target.items():
        if pid in before:
            vote.value = before[pid]
        else:
            db.session.delete(vote)
    db.session.flush()
    for pid, (value, entered_by) in source_votes.items():
        db.session.add(Vote(round_id=vote_round.id, card_id=source.id, participant_id=pid,
                            value=value, cap=vote_round.max_per_card, mode=vote_round.mode,
                            entered_by_user_id=entered_by))
    _adjust_ballots(vote_round.id, refunded)


def _announce_merge(unit: Unit, source: Card, target: Card, was_public: bool) -> None:
    if was_public:
        unit.broadcast(source.workshop_id, "card.removed", {"id": source.id,
                                                            "merged_into": target.id})
    unit.broadcast(source.workshop_id, "card.staff", staff_card_view(source),
                   audience=Audience.STAFF)
    unit.broadcast(source.workshop_id, "card.staff", staff_card_view(target),
                   audience=Audience.STAFF)
    unit.refresh(source.workshop_id, "tally")

