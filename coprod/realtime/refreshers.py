"""Latest-state messages the notifier sends once per tick, however many changes caused them."""

from ..extensions import db
from ..models import Workshop
from ..services import live, voting
from ..services.participants import counts_by_constituency
from ..services.unit import head_seq
from . import rooms


def counts(workshop_id: int) -> list[tuple[str, dict, str]]:
    """How many people joined from each group, for the projector and the consoles."""
    payload = {"counts": counts_by_constituency(workshop_id)}
    return [("counts", payload, rooms.projector(workshop_id)),
            ("counts", payload, rooms.staff(workshop_id))]


def tally(workshop_id: int) -> list[tuple[str, dict, str]]:
    """Live results for the consoles; for the projector too once they may be seen, else only
    how many people of each group have voted. Phones never get live tallies, but once results
    are revealed they get them again whenever they are recounted (a new threshold, a merge)."""
    vote_round = voting.latest_round(workshop_id)
    if vote_round is None:
        return []
    # Read before the votes: the results include at least every vote up to this audit event.
    as_of = head_seq(workshop_id)
    results = {**voting.results(vote_round, db.session.get(Workshop, workshop_id)), "as_of": as_of}
    messages = [("tally", results, rooms.staff(workshop_id))]
    if vote_round.revealed_at or not vote_round.hide_until_reveal:
        messages.append(("tally", results, rooms.projector(workshop_id)))
    else:
        messages.append(("progress", voting.progress(vote_round), rooms.projector(workshop_id)))
    if vote_round.revealed_at:
        # Votes only change while a round is open, before any reveal, so this is rare: phones
        # are not sent one message per vote.
        messages.append(("results", {"results": voting.results_for_phones(results)},
                         rooms.phones(workshop_id)))
    return messages


def joining(workshop_id: int) -> list[tuple[str, dict, str]]:
    """How the room is joining (pace, warnings, lock) for the consoles; the projector hears only
    whether the room takes new people."""
    workshop = db.session.get(Workshop, workshop_id)
    return [("joining", live.joining_view(workshop), rooms.staff(workshop_id)),
            ("joining", live.room_view(workshop), rooms.projector(workshop_id))]


REFRESHERS = {"counts": counts, "tally": tally, "joining": joining}
