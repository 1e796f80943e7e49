"""Vote rounds: opening and closing them, casting votes within the rules, results and reveals."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..domain import voting as rules
from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.cards import CardState
from ..domain.clock import utcnow
from ..domain.consensus import ConsensusRule, GroupSupport, rank_key, status
from ..domain.errors import Conflict, NotFound
from ..domain.phases import Phase
from ..extensions import db
from ..models import Ballot, Card, Constituency, Participant, RoundCard, Vote, VoteRound, Workshop
from .access import row_in_workshop, voter_for, workshop_for_actor, workshop_for_user
from .events import Audience
from .once import run_once
from .unit import Unit, unit_of_work
from .upsert import insert_ignoring_duplicates

NO_ROUND = "Voting is not open just now. The facilitator will say when."


def open_round(actor: Actor, workshop_id: int, mode, budget=None, max_per_card=None,
               hide_until_reveal: bool = True, role_id=None) -> dict:
    """Open a vote on the cards on the screen (optionally one role's); only one at a time."""
    round_rules = rules.round_rules(mode, budget, max_per_card)
    with unit_of_work(actor) as unit:
        workshop, _ = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        if Phase(workshop.phase) is not Phase.VOTE:
            raise Conflict("Please move the workshop to the Vote phase first.")
        if open_round_of(workshop.id):
            raise Conflict("A vote is already open. Please close it first.")
        cards = _cards_to_vote_on(workshop.id, role_id)
        number = 1 + (unit.session.scalar(select(func.max(VoteRound.number))
                                          .where(VoteRound.workshop_id == workshop.id)) or 0)
        vote_round = VoteRound(workshop_id=workshop.id, number=number, mode=round_rules.mode.value,
                               budget=round_rules.budget, max_per_card=round_rules.max_per_card,
                               hide_until_reveal=bool(hide_until_reveal))
        unit.session.add(vote_round)
        unit.session.flush()
        unit.session.add_all(RoundCard(round_id=vote_round.id, card_id=card.id, position=index)
                             for index, card in enumerate(cards))
        unit.session.flush()
        view = round_view(vote_round)
        unit.audit("round.opened", {**view, "card_ids": [card.id for card in cards]},
                   workshop_id=workshop.id)
        unit.broadcast(workshop.id, "round.opened", {"round": view})
        unit.refresh(workshop.id, "tally")
        return {"round": view}


def _cards_to_vote_on(workshop_id: int, role_id) -> list[Card]:
    query = select(Card).where(Card.workshop_id == workshop_id,
                               Card.state == CardState.VISIBLE.value).order_by(Card.id)
    if role_id not in (None, "", 0):
        query = query.where(Card.role_id == int(role_id))
    cards = list(db.session.scalars(query))
    if not cards:
        raise Conflict("There are no ideas on the screen to vote on yet.")
    return cards


def close_round(actor: Actor, workshop_id: int, round_id) -> dict:
    """Close the open vote; nobody can change their votes after this."""
    with unit_of_work(actor) as unit:
        workshop, _ = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        vote_round = _round_in(workshop.id, round_id)
        if vote_round.state != "open":
            raise Conflict("This vote is already closed.")
        vote_round.state, vote_round.closed_at = "closed", utcnow()
        outcome = results(vote_round, workshop)
        unit.audit("round.closed", {"round_id": vote_round.id, "voters": outcome["voters"],
                                    "statuses": {card["card_id"]: card["status"]
                                                 for card in outcome["cards"]}},
                   workshop_id=workshop.id)
        unit.broadcast(workshop.id, "round.closed", {"round": round_view(vote_round)})
        unit.refresh(workshop.id, "tally")
        return {"round": round_view(vote_round)}


def reveal(actor: Actor, workshop_id: int, round_id) -> dict:
    """Show a closed vote's results on the projector and every phone."""
    with unit_of_work(actor) as unit:
        workshop, _ = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        vote_round = _round_in(workshop.id, round_id)
        if vote_round.state == "open":
            raise Conflict("Please close the vote before showing the results, so nobody is "
                           "swayed by them.")
        if vote_round.revealed_at:
            raise Conflict("These results are already showing.")
        vote_round.revealed_at = utcnow()
        outcome = results(vote_round, workshop)
        unit.audit("results.revealed", {"round_id": vote_round.id, "statuses": {
            card["card_id"]: card["status"] for card in outcome["cards"]}},
                   workshop_id=workshop.id)
        unit.broadcast(workshop.id, "results.revealed", {"results": outcome})
        return {"results": outcome}


def cast_vote(actor: Actor, workshop_id: int, round_id, card_id, value, client_id=None) -> dict:
    """Set one person's vote on one card (dots, or agree / unsure / disagree; None withdraws).

    A participant votes for themselves; a helper's actor names the paper participant they vote
    for. Budget and per-card limits hold under any order of taps, on any number of tabs.
    """
    def perform(unit: Unit) -> dict:
        workshop, participant, vote_round = _voting_context(actor, workshop_id, round_id)
        recorded = _apply_vote(unit, actor, vote_round, participant, card_id, value)
        return _after_votes(unit, workshop, vote_round, participant, recorded)

    return _refusing_over_budget(lambda: run_once(actor, workshop_id, client_id, "vote.set",
                                                  perform))


def cast_ballot(actor: Actor, workshop_id: int, round_id, values: dict) -> dict:
    """Set several of one person's votes at once (a paper ballot): all of them, or none.

    Votes that go down are applied first, so moving dots from one idea to another fits the budget.
    """
    def perform(unit: Unit) -> dict:
        workshop, participant, vote_round = _voting_context(actor, workshop_id, round_id)
        current = {int(card): value for card, value in
                   my_votes(vote_round, participant.id)["votes"].items()}
        round_rules = rules_of(vote_round)

        def change(item):
            card, raw = item
            wanted = rules.parse_vote(round_rules, raw)
            return (wanted or 0) - (_stored_value(round_rules, current.get(card)) or 0)
        recorded = None
        for card, raw in sorted(((int(card), raw) for card, raw in values.items()), key=change):
            recorded = _apply_vote(unit, actor, vote_round, participant, card, raw) or recorded
        return _after_votes(unit, workshop, vote_round, participant, recorded)

    if not all(str(card).isdigit() for card in values):
        raise NotFound("That idea is not part of this vote.", field="card_id")
    return _refusing_over_budget(lambda: run_once(actor, workshop_id, None, "ballot.set", perform))


def _stored_value(round_rules: rules.RoundRules, shown):
    """The stored number for a vote as `my_votes` shows it (agree mode shows words)."""
    if shown is None or round_rules.mode is rules.VoteMode.DOTS:
        return shown
    return rules.AGREE_VALUES[shown]


def _refusing_over_budget(run):
    try:
        return run()
    except IntegrityError:
        # The database caught what the code did not (two tabs racing past the budget check).
        db.session.rollback()
        raise Conflict("That would go over your dots. Please try again.", field="value") from None


def _voting_context(actor: Actor, workshop_id: int, round_id):
    needed = Action.ENTER_FOR_PAPER if actor.kind == "helper" else Action.RUN
    workshop = workshop_for_actor(actor, workshop_id, needed)
    participant = voter_for(actor, workshop.id)
    vote_round = _round_in(workshop.id, round_id)
    if vote_round.state != "open":
        raise Conflict(NO_ROUND)
    return workshop, participant, vote_round


def _apply_vote(unit: Unit, actor: Actor, vote_round: VoteRound, participant: Participant,
                card_id, value) -> int | None:
    """Apply one vote; the number of its audit event, or None when nothing changed."""
    round_rules = rules_of(vote_round)
    wanted = rules.parse_vote(round_rules, value)
    card = _card_in_round(vote_round, card_id, withdrawing=wanted is None)
    ballot = _locked_ballot(vote_round, participant.id)
    vote = unit.session.scalar(select(Vote).where(
        Vote.round_id == vote_round.id, Vote.card_id == card.id,
        Vote.participant_id == participant.id))
    before = vote.value if vote else None
    if before == wanted:
        return None  # nothing changes, so nothing is recorded
    _spend(ballot, round_rules, before, wanted)
    _store(unit, vote, vote_round, card, participant, wanted, actor)
    action = ("vote.withdrawn" if wanted is None else
              "vote.cast" if before is None else "vote.changed")
    return unit.audit(action, {"round_id": vote_round.id, "card_id": card.id, "value": wanted,
                               "before": before}, workshop_id=vote_round.workshop_id).seq


def _after_votes(unit: Unit, workshop: Workshop, vote_round: VoteRound,
                 participant: Participant, recorded: int | None) -> dict:
    unit.refresh(workshop.id, "tally")
    mine = my_votes(vote_round, participant.id)
    unit.broadcast(workshop.id, "votes.mine", mine, audience=Audience.participant(participant.id))
    # The vote's number on the audit trail: a receipt, and how a screen knows a tally has it.
    return {"votes": mine, "audit_seq": recorded}


def _spend(ballot: Ballot, round_rules: rules.RoundRules, before, wanted) -> None:
    if round_rules.mode is rules.VoteMode.DOTS:
        ballot.used = rules.dots_used_after(round_rules, ballot.used, before or 0, wanted or 0)
    else:
        ballot.used += (wanted is not None) - (before is not None)


def _store(unit: Unit, vote: Vote | None, vote_round: VoteRound, card: Card,
           participant: Participant, wanted, actor: Actor) -> None:
    entered_by = actor.user_id if actor.kind == "helper" else None
    if wanted is None:
        if vote:
            unit.session.delete(vote)
    elif vote:
        vote.value, vote.updated_at, vote.entered_by_user_id = wanted, utcnow(), entered_by
    else:
        unit.session.add(Vote(round_id=vote_round.id, card_id=card.id,
                              participant_id=participant.id, value=wanted,
                              cap=vote_round.max_per_card, entered_by_user_id=entered_by))
    unit.session.flush()


def _locked_ballot(vote_round: VoteRound, participant_id: int) -> Ballot:
    # Create the ballot if needed (two first taps may race), then lock it: every vote of one
    # person in one round queues behind this row, so the budget check sees the latest total.
    insert_ignoring_duplicates(Ballot, {"round_id": vote_round.id,
                                        "participant_id": participant_id,
                                        "budget": vote_round.budget, "used": 0},
                               ["round_id", "participant_id"])
    return db.session.scalars(select(Ballot).where(
        Ballot.round_id == vote_round.id, Ballot.participant_id == participant_id)
        .with_for_update()).one()


def _round_in(workshop_id: int, round_id) -> VoteRound:
    vote_round = row_in_workshop(VoteRound, workshop_id, round_id)
    if vote_round is None:
        raise NotFound(NO_ROUND, field="round_id")
    return vote_round


def _card_in_round(vote_round: VoteRound, card_id, withdrawing: bool) -> Card:
    card = row_in_workshop(Card, vote_round.workshop_id, card_id)
    if card is None or card.id not in {item.card_id for item in vote_round.cards}:
        raise NotFound("That idea is not part of this vote.", field="card_id")
    if card.state != CardState.VISIBLE and not withdrawing:
        raise Conflict("That idea is no longer on the screen, so it cannot take votes.",
                       field="card_id")
    return card


def rules_of(vote_round: VoteRound) -> rules.RoundRules:
    """The rules a stored round was opened with."""
    return rules.RoundRules(rules.VoteMode(vote_round.mode), vote_round.budget,
                            vote_round.max_per_card)


def open_round_of(workshop_id: int) -> VoteRound | None:
    """The workshop's open vote, if there is one."""
    return db.session.scalar(select(VoteRound).where(VoteRound.workshop_id == workshop_id,
                                                     VoteRound.state == "open"))


def latest_round(workshop_id: int) -> VoteRound | None:
    """The newest vote round (the open one, when a vote is open)."""
    return db.session.scalar(select(VoteRound).where(VoteRound.workshop_id == workshop_id)
                             .order_by(VoteRound.number.desc()).limit(1))


def round_view(vote_round: VoteRound) -> dict:
    """A round as every screen sees it."""
    return {"id": vote_round.id, "number": vote_round.number, "mode": vote_round.mode,
            "mode_label": rules.MODE_LABELS[rules.VoteMode(vote_round.mode)],
            "budget": vote_round.budget, "max_per_card": vote_round.max_per_card,
            "state": vote_round.state, "hide_until_reveal": vote_round.hide_until_reveal,
            "revealed": vote_round.revealed_at is not None,
            "card_ids": [item.card_id for item in vote_round.cards]}


def my_votes(vote_round: VoteRound, participant_id: int) -> dict:
    """One person's votes in a round, and the dots they have left."""
    votes = dict(db.session.execute(select(Vote.card_id, Vote.value).where(
        Vote.round_id == vote_round.id, Vote.participant_id == participant_id)).all())
    used = sum(votes.values()) if vote_round.mode == rules.VoteMode.DOTS else len(votes)
    if vote_round.mode == rules.VoteMode.AGREE:
        votes = {card: rules.AGREE_NAMES[value] for card, value in votes.items()}
    remaining = None if vote_round.budget is None else vote_round.budget - used
    return {"round_id": vote_round.id, "votes": {str(card): value for card, value in votes.items()},
            "remaining": remaining}


def consensus_rule_of(workshop: Workshop) -> ConsensusRule:
    """The workshop's consensus settings."""
    return ConsensusRule(workshop.consensus_threshold, workshop.consensus_min_voters,
                         workshop.divisive_gap)


def _groups(workshop_id: int) -> list[str]:
    # Active groups, plus retired ones somebody joined as (their votes still count).
    rows = db.session.execute(
        select(Constituency.name).where(Constituency.workshop_id == workshop_id)
        .where(Constituency.retired.is_(False) | Constituency.id.in_(
            select(Participant.constituency_id).where(Participant.workshop_id == workshop_id)))
        .order_by(Constituency.position))
    return [name for (name,) in rows]


def round_voters(vote_round: VoteRound) -> dict[str, int]:
    """How many people of each group have voted in the round so far."""
    rows = db.session.execute(
        select(Constituency.name, func.count(Ballot.id))
        .join(Participant, Participant.id == Ballot.participant_id)
        .join(Constituency, Constituency.id == Participant.constituency_id)
        .where(Ballot.round_id == vote_round.id, Ballot.used > 0)
        .group_by(Constituency.name))
    return dict(rows.all())


def results(vote_round: VoteRound, workshop: Workshop) -> dict:
    """Support per card within each group, each card's consensus status, best-backed first."""
    rule = consensus_rule_of(workshop)
    groups = _groups(workshop.id)
    cards = {card.id: card for card in db.session.scalars(
        select(Card).join(RoundCard, RoundCard.card_id == Card.id)
        .where(RoundCard.round_id == vote_round.id, Card.state == CardState.VISIBLE.value))}
    votes = db.session.execute(
        select(Vote.card_id, Constituency.name, Vote.value, Vote.entered_by_user_id.is_not(None))
        .join(Participant, Participant.id == Vote.participant_id)
        .join(Constituency, Constituency.id == Participant.constituency_id)
        .where(Vote.round_id == vote_round.id)).all()
    voters = round_voters(vote_round)
    cells = rules.tally(list(cards), groups, votes, voters, rules.VoteMode(vote_round.mode))
    ranked = []
    for card_id, by_group in cells.items():
        support = [GroupSupport(group, cell[0], cell[1]) for group, cell in by_group.items()]
        card_status = status(support, rule)
        ranked.append((rank_key(support, rule, card_status), _card_result(
            cards[card_id], card_status, support, by_group, rule)))
    ranked.sort(key=lambda pair: pair[0])
    return {"round": round_view(vote_round), "voters": {group: voters.get(group, 0)
                                                        for group in groups},
            "rule": results_rule(workshop), "cards": [result for _, result in ranked]}


def results_rule(workshop: Workshop) -> dict:
    """The consensus settings, as shown next to results."""
    return {"threshold": workshop.consensus_threshold,
            "min_voters": workshop.consensus_min_voters, "divisive_gap": workshop.divisive_gap}


def _card_result(card: Card, card_status, support: list[GroupSupport], cells: dict,
                 rule: ConsensusRule) -> dict:
    return {"card_id": card.id, "text": card.text, "kind": card.kind, "role_id": card.role_id,
            "status": card_status.value,
            "groups": [{"name": group.constituency, "voters": group.voters,
                        "supporters": group.supporters, "share": round(group.share),
                        "dots": cells[group.constituency][2],
                        "entered_by_helper": cells[group.constituency][3],
                        "counted": group.voters >= rule.min_voters} for group in support]}


def progress(vote_round: VoteRound) -> dict:
    """How many people of each group have voted: all the projector shows before a reveal."""
    return {"round_id": vote_round.id, "voters": round_voters(vote_round)}


def rounds_of(workshop_id: int) -> list[VoteRound]:
    """Every vote round of a workshop, oldest first."""
    return list(db.session.scalars(select(VoteRound).where(VoteRound.workshop_id == workshop_id)
                                   .order_by(VoteRound.number)))

