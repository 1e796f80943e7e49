"""Vote rounds: opening and closing them, casting votes within the rules, results and reveals."""

from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..domain import voting as rules
from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.cards import CardState
from ..domain.clock import utcnow
from ..domain.consensus import ConsensusRule, GroupSupport, rank_key, status
from ..domain.errors import Conflict, NotFound
from ..domain.i18n import _
from ..domain.phases import Phase
from ..extensions import db
from ..models import Ballot, Card, Constituency, Participant, RoundCard, Vote, VoteRound, Workshop
from .access import NOT_FOUND, voter_for, workshop_for_actor, workshop_for_user
from .events import Audience
from .fast_path import Statement, remembered, run_batched
from .once import run_once
from .unit import Unit, unit_of_work

NO_ROUND = _("Voting is not open just now. The facilitator will say when.")


def open_round(actor: Actor, workshop_id: int, mode, budget=None, max_per_card=None,
               hide_until_reveal: bool = True, role_id=None) -> dict:
    """Open a vote on the cards on the screen (optionally one role's); only one at a time."""
    round_rules = rules.round_rules(mode, budget, max_per_card)
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        if Phase(workshop.phase) is not Phase.VOTE:
            raise Conflict(_("Please move the workshop to the Vote phase first."))
        if open_round_of(workshop.id):
            raise Conflict(_("A vote is already open. Please close it first."))
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
        raise Conflict(_("There are no ideas on the screen to vote on yet."))
    return cards


def close_round(actor: Actor, workshop_id: int, round_id) -> dict:
    """Close the open vote; nobody can change their votes after this."""
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        vote_round = _round_in(workshop.id, round_id)
        if vote_round.state != "open":
            raise Conflict(_("This vote is already closed."))
        vote_round.state, vote_round.closed_at = "closed", utcnow()
        outcome = results(vote_round, workshop)
        unit.audit("round.closed", {"round_id": vote_round.id, "voters": outcome["voters"],
                                    "statuses": statuses_by_card(outcome)},
                   workshop_id=workshop.id)
        unit.broadcast(workshop.id, "round.closed", {"round": round_view(vote_round)})
        unit.refresh(workshop.id, "tally")
        return {"round": round_view(vote_round)}


def reveal(actor: Actor, workshop_id: int, round_id) -> dict:
    """Show a closed vote's results on the projector and every phone."""
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        vote_round = _round_in(workshop.id, round_id)
        if vote_round.state == "open":
            raise Conflict(_("Please close the vote before showing the results, so nobody is "
                             "swayed by them."))
        if vote_round.revealed_at:
            raise Conflict(_("These results are already showing."))
        vote_round.revealed_at = utcnow()
        outcome = results(vote_round, workshop)
        unit.audit("results.revealed", {"round_id": vote_round.id,
                                        "statuses": statuses_by_card(outcome)},
                   workshop_id=workshop.id)
        unit.broadcast(workshop.id, "results.revealed", {"results": outcome},
                       phone_payload={"results": results_for_phones(outcome)})
        return {"results": outcome}


def statuses_by_card(outcome: dict) -> dict[str, str]:
    """Each idea's consensus status in these results, by idea id (as text, like every JSON key)."""
    return {str(card["card_id"]): card["status"] for card in outcome["cards"]}


def cast_vote(actor: Actor, workshop_id: int, round_id, card_id, value, client_id=None) -> dict:
    """Set one person's vote on one card (dots, or agree / unsure / disagree; None withdraws).

    A participant votes for themselves; a helper's actor names the paper participant they vote
    for. Budget and per-card limits hold under any order of taps, on any number of tabs. Votes
    arriving together are committed together (see group_commit), each audited and acked alone.
    """
    def perform(unit: Unit) -> dict:
        voter, vote_round = _voting_context(unit, workshop_id, round_id)
        recorded, mine = _apply_vote(unit, actor, vote_round, voter.id, card_id, value)
        return _after_votes(unit, workshop_id, vote_round, voter.id, mine, recorded)

    return run_batched(actor, workshop_id, client_id, "vote.set", perform,
                       refused=_over_budget)


def cast_ballot(actor: Actor, workshop_id: int, round_id, values: dict) -> dict:
    """Set several of one person's votes at once (a paper ballot): all of them, or none.

    Votes that go down are applied first, so moving dots from one idea to another fits the budget.
    """
    def perform(unit: Unit) -> dict:
        voter, vote_round = _voting_context(unit, workshop_id, round_id)
        mine = _votes_of(unit.connection, vote_round.id, voter.id)
        round_rules = rules_of(vote_round)

        def change(item):
            card, raw = item
            return (rules.parse_vote(round_rules, raw) or 0) - (mine.get(card) or 0)
        recorded = None
        for card, raw in sorted(((int(card), raw) for card, raw in values.items()), key=change):
            seq, mine = _apply_vote(unit, actor, vote_round, voter.id, card, raw)
            recorded = seq or recorded
        return _after_votes(unit, workshop_id, vote_round, voter.id, mine, recorded)

    if not all(str(card).isdigit() for card in values):
        raise NotFound(_("That idea is not part of this vote."), field="card_id")
    try:
        return run_once(actor, workshop_id, None, "ballot.set", perform)
    except IntegrityError:
        db.session.rollback()
        _over_budget()


def _over_budget():
    # The database caught what the code did not (two tabs racing past the budget check).
    raise Conflict(_("That would go over your dots. Please try again."), field="value")


@dataclass(frozen=True)
class Voter:
    id: int
    workshop_id: int
    on_paper: bool


def _participant(connection: Connection, participant_id: int) -> Voter | None:
    # Participants are never deleted and never change workshop or paper status: read once.
    def load() -> Voter | None:
        row = _run(connection, _PARTICIPANT, the_participant=participant_id).fetchone()
        return Voter(participant_id, *row) if row else None
    return remembered("voter", participant_id, load)


@dataclass(frozen=True)
class RoundFacts:
    """What a vote needs to know about its round: all of it fixed when the round opened, but
    `state`, which is read once per transaction here (a quick refusal) and checked again, under
    a lock, by every vote's ballot statement."""

    id: int
    workshop_id: int
    state: str
    mode: str
    budget: int | None
    max_per_card: int
    card_ids: frozenset


# The vote path runs hundreds of times a second in a busy room, so its statements are built
# once, with bound parameters, and run with SQLAlchemy's lightest call (services/fast_path).
_vote, _ballot = Vote.__table__, Ballot.__table__
_ROUND = Statement(
    select(VoteRound.__table__.c["workshop_id", "state", "mode", "budget", "max_per_card"])
    .where(VoteRound.__table__.c.id == bindparam("the_round")))
_PARTICIPANT = Statement(select(Participant.__table__.c["workshop_id", "on_paper"]).where(
    Participant.__table__.c.id == bindparam("the_participant")))
_CARD_STATE = Statement(select(Card.__table__.c.state)
                           .where(Card.__table__.c.id == bindparam("the_card")))
_MINE = Statement(select(_vote.c.card_id, _vote.c.value).where(
    _vote.c.round_id == bindparam("the_round"), _vote.c.participant_id == bindparam("voter_id")))
_THIS_VOTE = (_vote.c.round_id == bindparam("the_round"), _vote.c.card_id == bindparam("the_card"),
              _vote.c.participant_id == bindparam("voter_id"))
_VOTE_DELETE = Statement(delete(_vote).where(*_THIS_VOTE))
_VOTE_UPDATE = Statement(update(_vote).where(*_THIS_VOTE).values(
    value=bindparam("wanted"), updated_at=bindparam("at"), entered_by_user_id=bindparam("by")))
_VOTE_INSERT = Statement(insert(_vote).values(
    round_id=bindparam("the_round"), card_id=bindparam("the_card"),
    participant_id=bindparam("voter_id"), value=bindparam("wanted"), cap=bindparam("the_cap"),
    mode=bindparam("the_mode"), updated_at=bindparam("at"), entered_by_user_id=bindparam("by")))
_SPEND = Statement(update(_ballot).where(_ballot.c.id == bindparam("ballot_id")).values(
    used=bindparam("now_used")))
# Creates the ballot if needed and locks it in one statement (an upsert that rewrites `used` with
# itself), copying the round's budget and mode, and only while the round is open. Written as SQL
# text because SQLAlchemy's ON CONFLICT constructs differ per dialect; SQLite and PostgreSQL both
# accept this text (PostgreSQL with the lock below added).
_BALLOT_LOCK_SQL = (
    "INSERT INTO ballot (round_id, participant_id, budget, mode, used) "
    "SELECT id, :voter_id, budget, mode, 0 FROM vote_round "
    "WHERE id = :the_round AND state = 'open'{lock} "
    "ON CONFLICT (round_id, participant_id) DO UPDATE SET used = ballot.used "
    "RETURNING id, used")
# On PostgreSQL the round row is also read FOR KEY SHARE, which only FOR UPDATE waits for:
# close_round takes the round FOR UPDATE, so it waits for votes in flight to commit, and a vote
# that comes after it waits, then finds the round closed. This rides on a statement every vote
# runs anyway (no extra round trip), and is checked per vote because a lock taken by an earlier
# vote of the same batch is lost if that vote's savepoint rolls back. SQLite needs no lock: every
# write transaction holds the database's write lock from BEGIN IMMEDIATE.
_BALLOT_LOCK = {"postgresql": Statement(text(_BALLOT_LOCK_SQL.format(lock=" FOR KEY SHARE"))),
                "sqlite": Statement(text(_BALLOT_LOCK_SQL.format(lock="")))}


def _run(connection: Connection, statement: Statement, **params):
    return statement.run(connection, params)


def _voting_context(unit: Unit, workshop_id: int, round_id) -> tuple[Voter, RoundFacts]:
    actor = unit.actor
    if actor.kind == "participant":
        voter = _participant(unit.connection, actor.participant_id)
        if voter is None or voter.workshop_id != workshop_id:
            raise NotFound(NOT_FOUND)
    else:  # a helper entering a paper vote (or an account that may not vote): full checks
        needed = Action.ENTER_FOR_PAPER if actor.kind == "helper" else Action.RUN
        workshop_for_actor(actor, workshop_id, needed)
        participant = voter_for(actor, workshop_id)
        voter = Voter(participant.id, participant.workshop_id, participant.on_paper)
    vote_round = _round_facts(unit, workshop_id, round_id)
    if vote_round.state != "open":
        raise Conflict(NO_ROUND)
    return voter, vote_round


def _round_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(NO_ROUND, field="round_id") from None


def _round_facts(unit: Unit, workshop_id: int, round_id) -> RoundFacts:
    round_id = _round_id(round_id)
    memo = unit.memo
    if ("round", round_id) not in memo:
        memo["round", round_id] = _run(unit.connection, _ROUND, the_round=round_id).fetchone()
    row = memo["round", round_id]
    if row is None or row[0] != workshop_id:  # row: workshop_id, then RoundFacts' fields
        raise NotFound(NO_ROUND, field="round_id")
    return RoundFacts(round_id, *row, card_ids=_round_cards(round_id))


def _round_cards(round_id: int) -> frozenset:
    # A round's cards are chosen when it opens and do not change while it is open.
    return remembered("round cards", round_id, lambda: frozenset(db.session.scalars(
        select(RoundCard.card_id).where(RoundCard.round_id == round_id))))


def _apply_vote(unit: Unit, actor: Actor, vote_round: RoundFacts, voter_id: int, card_id,
                value) -> tuple[int | None, dict]:
    """Apply one vote: its audit event number (None when nothing changed) and the person's
    votes afterwards ({card id: stored value})."""
    round_rules = rules_of(vote_round)
    wanted = rules.parse_vote(round_rules, value)
    card_id = _card_in_round(unit, vote_round, card_id, withdrawing=wanted is None)
    ballot_id, used = _locked_ballot(unit.connection, vote_round, voter_id)
    mine = _votes_of(unit.connection, vote_round.id, voter_id)
    before = mine.get(card_id)
    if before == wanted:
        return None, mine  # nothing changes, so nothing is recorded
    used = _spent(round_rules, used, before, wanted)
    _run(unit.connection, _SPEND, ballot_id=ballot_id, now_used=used)
    _store(unit.connection, vote_round, card_id, voter_id, before, wanted, actor)
    if wanted is None:
        del mine[card_id]
    else:
        mine[card_id] = wanted
    action = ("vote.withdrawn" if wanted is None else
              "vote.cast" if before is None else "vote.changed")
    event = unit.audit(action, {"round_id": vote_round.id, "card_id": card_id, "value": wanted,
                                "before": before}, workshop_id=vote_round.workshop_id)
    return event.seq, mine


def _after_votes(unit: Unit, workshop_id: int, vote_round: RoundFacts, voter_id: int,
                 mine: dict, recorded: int | None) -> dict:
    unit.refresh(workshop_id, "tally")
    view = _votes_view(vote_round, mine)
    unit.broadcast(workshop_id, "votes.mine", view, audience=Audience.participant(voter_id))
    # The vote's number on the audit trail: a receipt, and how a screen knows a tally has it.
    return {"votes": view, "audit_seq": recorded}


def _spent(round_rules: rules.RoundRules, used: int, before, wanted) -> int:
    if round_rules.mode is rules.VoteMode.DOTS:
        return rules.dots_used_after(round_rules, used, before or 0, wanted or 0)
    return used + (wanted is not None) - (before is not None)


def _store(connection: Connection, vote_round: RoundFacts, card_id: int, voter_id: int, before,
           wanted, actor: Actor) -> None:
    statement = (_VOTE_DELETE if wanted is None else
                 _VOTE_UPDATE if before is not None else _VOTE_INSERT)
    _run(connection, statement, the_round=vote_round.id, the_card=card_id, voter_id=voter_id, wanted=wanted,
         the_cap=vote_round.max_per_card, the_mode=vote_round.mode, at=utcnow(),
         by=actor.user_id if actor.kind == "helper" else None)


def _locked_ballot(connection: Connection, vote_round: RoundFacts,
                   participant_id: int) -> tuple[int, int]:
    # Every vote of one person in one round queues behind this row, so the budget check sees
    # the latest total, however many tabs race.
    statement = _BALLOT_LOCK.get(connection.dialect.name, _BALLOT_LOCK["sqlite"])
    row = _run(connection, statement, the_round=vote_round.id,
               voter_id=participant_id).fetchone()
    if row is None:  # the round closed since this batch first read it
        raise Conflict(NO_ROUND)
    return tuple(row)


def _votes_of(connection: Connection, round_id: int, participant_id: int) -> dict:
    return dict(_run(connection, _MINE, the_round=round_id, voter_id=participant_id).fetchall())


def _round_in(workshop_id: int, round_id) -> VoteRound:
    # FOR UPDATE: closing waits for votes in flight (they hold the round FOR KEY SHARE, see
    # _BALLOT_LOCK), and two clicks on Close or Reveal cannot both go through.
    vote_round = db.session.scalar(
        select(VoteRound).where(VoteRound.id == _round_id(round_id),
                                VoteRound.workshop_id == workshop_id)
        .with_for_update().execution_options(populate_existing=True))
    if vote_round is None:
        raise NotFound(NO_ROUND, field="round_id")
    return vote_round


def _card_in_round(unit: Unit, vote_round: RoundFacts, card_id, withdrawing: bool) -> int:
    try:
        card_id = int(card_id)
    except (TypeError, ValueError):
        card_id = None
    if card_id not in vote_round.card_ids:
        raise NotFound(_("That idea is not part of this vote."), field="card_id")
    memo = unit.memo
    if ("card", card_id) not in memo:
        memo["card", card_id] = _run(unit.connection, _CARD_STATE, the_card=card_id).fetchone()[0]
    state = memo["card", card_id]
    if state != CardState.VISIBLE and not withdrawing:
        raise Conflict(_("That idea is no longer on the screen, so it cannot take votes."),
                       field="card_id")
    return card_id


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
    """A round as every screen sees it (broadcast: its mode as a key, each screen has the words)."""
    return {"id": vote_round.id, "number": vote_round.number, "mode": vote_round.mode,
            "budget": vote_round.budget, "max_per_card": vote_round.max_per_card,
            "state": vote_round.state, "hide_until_reveal": vote_round.hide_until_reveal,
            "revealed": vote_round.revealed_at is not None,
            "card_ids": [item.card_id for item in vote_round.cards]}


def my_votes(vote_round: VoteRound | dict, participant_id: int) -> dict:
    """One person's votes in a round (a row, or as `round_view` shows it), and the dots left."""
    if isinstance(vote_round, dict):
        vote_round = SimpleNamespace(**vote_round)
    return _votes_view(vote_round, _votes_of(db.session.connection(), vote_round.id,
                                             participant_id))


def _votes_view(vote_round: VoteRound | RoundFacts, votes: dict) -> dict:
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
        .group_by(Constituency.name, Constituency.position).order_by(Constituency.position))
    return dict(rows.all())


def results(vote_round: VoteRound, workshop: Workshop) -> dict:
    """Support per card within each group, each card's consensus status, best-backed first."""
    rule = consensus_rule_of(workshop)
    groups = _groups(workshop.id)
    cards = {card.id: card for card in db.session.scalars(
        select(Card).join(RoundCard, RoundCard.card_id == Card.id)
        .where(RoundCard.round_id == vote_round.id, Card.state == CardState.VISIBLE.value))}
    by_helper = Vote.entered_by_user_id.is_not(None)
    # Counted by the database: a few hundred rows to read for a busy round, not one per vote.
    votes = db.session.execute(
        select(Vote.card_id, Constituency.name, Vote.value, by_helper, func.count())
        .join(Participant, Participant.id == Vote.participant_id)
        .join(Constituency, Constituency.id == Participant.constituency_id)
        .where(Vote.round_id == vote_round.id)
        .group_by(Vote.card_id, Constituency.name, Vote.value, by_helper)).all()
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
            "rule": results_rule(workshop), "cards": [result for _key, result in ranked]}


def results_for_phones(outcome: dict) -> dict:
    """What a phone shows of the results: each idea's status and its share in each group.

    A third of the full results' size: sent to every phone at once on a reveal, often over a
    weak signal.
    """
    return {"round_id": outcome["round"]["id"], "rule": outcome["rule"], "cards": [
        {"card_id": card["card_id"], "text": card["text"], "language": card["language"],
         "translation": card["translation"], "status": card["status"],
         "groups": [{"name": group["name"], "share": group["share"], "counted": group["counted"]}
                    for group in card["groups"]]}
        for card in outcome["cards"]]}


def results_rule(workshop: Workshop) -> dict:
    """The consensus settings, as shown next to results."""
    return {"threshold": workshop.consensus_threshold,
            "min_voters": workshop.consensus_min_voters, "divisive_gap": workshop.divisive_gap}


def _card_result(card: Card, card_status, support: list[GroupSupport], cells: dict,
                 rule: ConsensusRule) -> dict:
    return {"card_id": card.id, "text": card.text, "language": card.language,
            "translation": card.translation, "kind": card.kind, "role_id": card.role_id,
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

