"""A seed-sized workshop, built through the services as a facilitator and phones would build it.

30 people (10 per group), 45 ideas over the three template roles and "any role", a merge undone
and a merge kept, a dot vote and an agree vote that everyone answers in full, reveals, and three
outlines built from the agreed ideas and signed off. Small fixtures hide the defects a real room
finds (ids past 9, a wall that overflows, reads that grow with every idea): tests and benchmarks
that need a real room build this one.

    room = build_room()                      # inside an app context (the `app` fixture)
    room.expected[card_id]                   # "agreed", "divisive" or "open", from the votes cast
"""

import random
import threading
from dataclasses import dataclass, field

from flask import current_app

from coprod.domain.actors import Actor
from coprod.extensions import db
from coprod.models import User, Workshop
from coprod.services import cards, merges, outlines, voting

from ..factories import actor_of, join, make_user, make_workshop, set_phase

GROUPS = ("Service user or patient", "Carer", "Staff")
ROLE_KEYS = ("navigator", "hca", "cmhc_nurse")  # the template roles, in workshop order
ANY_ROLE = None

# What people in the room propose, per role, in their own words (written for coprod from the
# Hywel Dda role redesign project and the workforce documents in the seeds). "R" is a
# responsibility, "C" a competence. Each list's last entry repeats an earlier idea in other
# words, as rooms do: those are the duplicates the facilitator merges.
STATEMENTS = {
    "navigator": [
        ("R", "Helps people find their way between health, social care and voluntary services"),
        ("C", "Knows what local charities, housing and benefits advice services offer"),
        ("R", "Meets people at their first contact and explains what the centre offers"),
        ("C", "Explains options in plain words, without medical jargon"),
        ("R", "Keeps in touch with people on the waiting list so nobody is forgotten"),
        ("C", "Notices when someone is becoming more unwell and knows who to tell"),
        ("R", "Books and follows up appointments with other services for the person"),
        ("C", "Keeps clear and accurate notes of every contact"),
        ("R", "Connects carers with local support groups and carers' assessments"),
        ("C", "Uses their own lived experience to build trust, with clear boundaries"),
        ("R", "Helps people prepare their questions before a review meeting"),
        ("R", "Points people to services that can help them, outside the NHS too"),
    ],
    "hca": [
        ("R", "Takes and records physical health checks such as blood pressure and weight"),
        ("C", "Has completed all fifteen standards of the Care Certificate"),
        ("R", "Supports people with daily living skills in their own home"),
        ("C", "Knows the signs of side effects from common mental health medicines"),
        ("R", "Sits with people who are distressed while the nurse is busy"),
        ("C", "Follows infection prevention and control procedures"),
        ("R", "Prepares the clinic room and keeps equipment clean and stocked"),
        ("C", "Knows how to raise a safeguarding concern, and does so"),
        ("R", "Goes with people to appointments when they are anxious about going"),
        ("C", "Stays calm and kind when someone is upset or angry"),
        ("R", "Runs a weekly activity group alongside a registered practitioner"),
        ("R", "Tells the nurse the same day about any change in someone's health"),
        ("R", "Checks and writes down people's blood pressure, weight and other measures"),
    ],
    "cmhc_nurse": [
        ("R", "Assesses mental health needs and risks with the person and their carer"),
        ("C", "Holds current registration with the Nursing and Midwifery Council"),
        ("R", "Writes care plans together with the person, in their own words"),
        ("C", "Carries out a structured risk assessment and explains it to others"),
        ("R", "Gives and reviews depot injections and other medicines safely"),
        ("C", "Understands the Mental Health Act and the Mental Capacity Act"),
        ("R", "Delegates tasks to healthcare assistants and checks they are done well"),
        ("C", "Supervises and mentors healthcare assistants and students"),
        ("R", "Leads the team's response when someone is in crisis"),
        ("C", "Uses simple evidence-based talking therapy techniques"),
        ("R", "Involves carers in decisions when the person agrees to it"),
        ("R", "Checks physical health as well as mental health at every contact"),
        ("R", "Plans care with the person, using the person's own words"),
    ],
    ANY_ROLE: [
        ("R", "Asks the person what matters to them before making any plans"),
        ("C", "Treats people with dignity and respect at all times"),
        ("R", "Shares information with other services only with consent, unless someone is at risk"),
        ("C", "Listens to carers as partners who know the person well"),
        ("R", "Tells people who to contact out of hours and at weekends"),
        ("C", "Speaks Welsh, or can arrange for someone who does"),
        ("R", "Asks people and carers for feedback and acts on it"),
        ("C", "Knows the limits of their role and when to hand over to someone else"),
        ("R", "Does only what only they can do, and helps others do the rest"),
        ("C", "Understands how trauma affects people's trust in services"),
        ("R", "Keeps people's information private and secure"),
        ("C", "Keeps their training up to date and reflects on their practice"),
        ("R", "Is honest with people about waiting times"),
        ("C", "Treats everyone with respect and dignity"),
    ],
}
KINDS = {"R": "responsibility", "C": "competence"}
# Lines the room types while building each outline, and the level of its competences.
TYPED_LINES = {"navigator": "Follows up within two working days after a first contact",
               "hca": "Helps people keep up the routines that keep them well",
               "cmhc_nurse": "Reviews each care plan with the person at least every three months"}
COMPETENCE_LEVELS = {"navigator": 4, "hca": 3, "cmhc_nurse": 5}
DOT_BUDGET, DOTS_PER_IDEA = 5, 2


@dataclass(frozen=True)
class Idea:
    id: int
    kind: str  # responsibility or competence
    text: str
    role_id: int | None  # None: for any role
    group: str  # the group of the phone that added it
    duplicate_of: int | None = None  # the earlier idea it repeats, if it is a duplicate


@dataclass(frozen=True)
class Merge:
    id: int
    source_id: int
    target_id: int


@dataclass
class Signed:
    """One role's outline as built and signed off."""
    version: int
    card_ids: dict[str, list[int]]  # section -> ids of the ideas adopted into it, in order
    typed: str  # the line typed in the room
    detailed: dict  # the details given to the first competence (type, level, ...)


@dataclass
class Room:
    """What build_room made, for assertions."""
    owner: User  # the facilitator account (services need Actor.user(owner.id, owner.role))
    workshop_id: int
    role_ids: list[int]  # the three template roles, in workshop order
    people: dict[str, list]  # group name -> Participant rows, in join order
    card_ids: list[int]  # every idea, in the order added
    ideas: dict[int, Idea] = field(default_factory=dict)
    # Participant id -> group, and -> the actor their phone acts as, read once: the rows expire
    # at every commit, and reading them again per vote would double the time a build takes.
    group_of: dict[int, str] = field(default_factory=dict)
    phones: dict[int, Actor] = field(default_factory=dict)
    facilitator: Actor | None = None  # the owner's actor, read once for the same reason
    undone_merge: Merge | None = None  # a merge made by mistake, then undone
    kept_merge: Merge | None = None  # a duplicate folded into its original, kept
    dot_round_id: int | None = None
    agree_round_id: int | None = None
    # Dots as the phones cast them (participant id -> {card id: dots}), before any merge.
    dots: dict[int, dict[int, int]] = field(default_factory=dict)
    # Agree-vote answers: card id -> {participant id: "agree" / "unsure" / "disagree"}.
    answers: dict[int, dict[int, str]] = field(default_factory=dict)
    # Each idea's consensus in the agree vote, worked out here from the answers cast.
    expected: dict[int, str] = field(default_factory=dict)
    signed: dict[int, Signed] = field(default_factory=dict)  # role id -> its signed-off outline

    @property
    def actor(self) -> Actor:
        """The facilitator, as the services take them."""
        return self.facilitator or actor_of(self.owner)

    def with_status(self, status: str) -> list[int]:
        """The ideas expected to come out of the agree vote with this status, in order added."""
        return [card_id for card_id in self.card_ids if self.expected.get(card_id) == status]


def build_room(ideas: int = 45, people_per_group: int = 10, *, votes: bool = True,
               outlines: bool = True, seed: int = 7) -> Room:
    """A realistic workshop made through the services, as a facilitator and phones would.

    In order: people join; phones add ideas; a dot vote (closed, revealed); back to review,
    where the facilitator merges by mistake and undoes it, then folds a duplicate into its
    original (the dots move with it); an agree vote in which everyone answers every idea
    (closed, revealed: its statuses are the ones exports show); three outlines, signed off.
    `votes=False` leaves out both votes, `outlines=False` the outlines.
    """
    rng = random.Random(seed)
    owner = make_user("facilitator", name="Sam Facilitator")
    workshop_id = make_workshop(owner, title="Roles for our community mental health centre")
    role_ids = [role.id for role in db.session.get(Workshop, workshop_id).roles]
    people = {group: [join(workshop_id, group) for _ in range(people_per_group)]
              for group in GROUPS}
    room = Room(owner, workshop_id, role_ids, people, [], facilitator=actor_of(owner))
    room.group_of = {person.id: group for group, joined in people.items() for person in joined}
    room.phones = {person_id: Actor.participant(person_id, group)
                   for person_id, group in room.group_of.items()}
    set_phase(owner, workshop_id, "contribute")
    _add_ideas(room, ideas)
    set_phase(owner, workshop_id, "review")
    if votes:
        set_phase(owner, workshop_id, "vote")
        _dot_vote(room, rng)
        set_phase(owner, workshop_id, "review")  # back a phase, to tidy up before agreeing
    _merge_duplicates(room)
    if votes:
        set_phase(owner, workshop_id, "vote")
        _agree_vote(room, rng)
    if outlines:
        set_phase(owner, workshop_id, *(("results", "build") if votes else
                                        ("vote", "results", "build")))
        for role_key, role_id in zip(ROLE_KEYS, role_ids, strict=True):
            _build_outline(room, role_key, role_id)
    return room


def statement_plan(count: int) -> list[tuple[str | None, str, str, int | None]]:
    """The ideas to add: (role key, kind, text, index of the idea it duplicates), roles in turn.

    Past the end of the lists, statements come round again with a number, so any count works.
    """
    order = [*ROLE_KEYS, ANY_ROLE]
    cycle = [(key, step, STATEMENTS[key][step])
             for step in range(max(map(len, STATEMENTS.values())))
             for key in order if step < len(STATEMENTS[key])]
    plan, first_seen = [], {}
    for number in range(count):
        key, index, (kind, text) = cycle[number % len(cycle)]
        lap = number // len(cycle)
        duplicate = (index == len(STATEMENTS[key]) - 1 and lap == 0)
        original = _duplicated(key, first_seen) if duplicate else None
        first_seen.setdefault((key, index), number)
        plan.append((key, KINDS[kind], f"{text} ({lap + 1})" if lap else text, original))
    return plan


def _duplicated(key, first_seen: dict) -> int | None:
    # The duplicate at the end of each list repeats the entry its wording echoes.
    echoes = {"navigator": 0, "hca": 0, "cmhc_nurse": 2, ANY_ROLE: 1}
    return first_seen.get((key, echoes[key]))


def _add_ideas(room: Room, count: int) -> None:
    """Phones of every group take turns adding ideas, as they come to mind."""
    role_of = dict(zip(ROLE_KEYS, room.role_ids, strict=True))
    by_group = _ids(room)
    turns = [ids[index] for index in range(max(map(len, by_group.values())))
             for ids in by_group.values() if index < len(ids)]
    for number, (key, kind, text, original) in enumerate(statement_plan(count)):
        phone = room.phones[turns[number % len(turns)]]
        added = cards.add_card(phone, room.workshop_id, kind, text, role_of.get(key),
                               client_id=f"seed-card-{number:05d}")["card"]
        room.card_ids.append(added["id"])
        room.ideas[added["id"]] = Idea(
            added["id"], kind, text, added["role_id"], phone.constituency,
            room.card_ids[original] if original is not None else None)


def _ids(room: Room) -> dict[str, list[int]]:
    """Group -> its participants' ids, in join order."""
    return {group: [pid for pid, theirs in room.group_of.items() if theirs == group]
            for group in room.people}


def _all_phones_vote(room: Room, round_id: int, ballots: dict[int, list[tuple[int, object]]]
                     ) -> None:
    """Every phone taps its votes one by one, all phones at once (each in its own thread), as
    in a room: the votes go through the same group commit a busy room's votes do, and a build
    takes a fraction of the time one phone after another would."""
    app, failures = current_app._get_current_object(), []
    db.session.rollback()  # hold no snapshot or lock while the phones write

    def phone(person_id: int, taps: list) -> None:
        with app.app_context():
            try:
                for number, (card_id, value) in enumerate(taps):
                    voting.cast_vote(room.phones[person_id], room.workshop_id, round_id, card_id,
                                     value, client_id=f"seed-vote-{round_id}-{person_id}-{number:05d}")
            except Exception as error:  # raised again below, in the builder's thread
                failures.append(error)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=phone, args=item) for item in ballots.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def _dot_vote(room: Room, rng: random.Random) -> None:
    """Everyone spends all their dots; results are revealed before the merges."""
    round_id = voting.open_round(room.actor, room.workshop_id, "dots", DOT_BUDGET,
                                 DOTS_PER_IDEA)["round"]["id"]
    room.dot_round_id = round_id
    on_screen = list(room.card_ids)
    undone, kept = _merge_pairs(room)
    for person_id in room.group_of:
        room.dots[person_id] = _spend_dots(rng, on_screen)
    # The first phone of each group backs both halves of each pair, so the merges have votes
    # to move, and one of them goes over the per-idea limit when two ideas become one.
    for ids in _ids(room).values():
        if ids and kept and undone:
            room.dots[ids[0]] = {kept[0]: 2, kept[1]: 1, undone[0]: 1, undone[1]: 1}
    _all_phones_vote(room, round_id, {person_id: list(dots.items())
                                      for person_id, dots in room.dots.items()})
    voting.close_round(room.actor, room.workshop_id, round_id)
    voting.reveal(room.actor, room.workshop_id, round_id)


def _spend_dots(rng: random.Random, card_ids: list[int]) -> dict[int, int]:
    split = rng.choice(([2, 2, 1], [2, 1, 1, 1], [1, 1, 1, 1, 1], [2, 2, 1]))
    split = split[:len(card_ids)]
    return dict(zip(rng.sample(card_ids, len(split)), split, strict=True))


def _merge_pairs(room: Room) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(source, target) of the mistaken merge and of the duplicate kept merged."""
    duplicates = [(idea.id, idea.duplicate_of) for idea in room.ideas.values() if idea.duplicate_of]
    if duplicates:
        kept = duplicates[0]
        others = [card for card in room.card_ids if card not in kept]
        return ((others[1], others[0]) if len(others) >= 2 else None), kept
    if len(room.card_ids) >= 4:
        first, second, third, fourth = room.card_ids[:4]
        return (second, first), (fourth, third)
    return None, None


def _merge_duplicates(room: Room) -> None:
    """Merge two ideas by mistake and undo it; then fold a real duplicate into its original."""
    undone, kept = _merge_pairs(room)
    if undone:
        made = merges.merge_cards(room.actor, room.workshop_id, *undone)
        merges.undo_merge(room.actor, room.workshop_id, made["merge_id"])
        room.undone_merge = Merge(made["merge_id"], *undone)
    if kept:
        made = merges.merge_cards(room.actor, room.workshop_id, *kept)
        room.kept_merge = Merge(made["merge_id"], *kept)


def _agree_vote(room: Room, rng: random.Random) -> None:
    """Everyone answers every idea on the screen; the answers make some ideas agreed, some
    divisive and some open."""
    round_id = voting.open_round(room.actor, room.workshop_id, "agree")["round"]["id"]
    room.agree_round_id = round_id
    merged = room.kept_merge.source_id if room.kept_merge else None
    on_screen = [card for card in room.card_ids if card != merged]
    aims = ["agreed", "divisive", "agreed", "open", "agreed", "divisive", "open"]
    for index, card_id in enumerate(on_screen):
        room.answers[card_id] = _answers(room, rng, aims[index % len(aims)])
    _all_phones_vote(room, round_id, {
        person_id: [(card_id, room.answers[card_id][person_id]) for card_id in on_screen]
        for person_id in room.group_of})
    voting.close_round(room.actor, room.workshop_id, round_id)
    voting.reveal(room.actor, room.workshop_id, round_id)
    room.expected = {card_id: expected_status(room, answers)
                     for card_id, answers in room.answers.items()}


def _answers(room: Room, rng: random.Random, aim: str) -> dict[int, str]:
    """Answers from every person, aiming at a status (the status itself is worked out later)."""
    doubters = rng.choice(list(room.people)) if aim == "divisive" else None
    answers = {}
    for group, people in _ids(room).items():
        size = len(people)
        if aim == "open":
            agreeing = rng.randint(round(size * 0.3), size // 2)
        elif group == doubters:
            agreeing = rng.randint(0, size // 5)
        else:
            agreeing = rng.randint(-(-size * 7 // 10), size)
        for rank, person_id in enumerate(rng.sample(people, size)):
            answers[person_id] = "agree" if rank < agreeing else rng.choice(("unsure", "disagree"))
    return answers


def expected_status(room: Room, answers: dict[int, str]) -> str:
    """The status DESIGN.md section 2 gives an idea for these answers, worked out on its own:
    support within each group that has enough voters; agreed when every such group reaches the
    threshold, divisive when two of them are the gap or more apart, otherwise open."""
    workshop = db.session.get(Workshop, room.workshop_id)
    group_of = room.group_of
    shares = []
    for group in room.people:
        given = [answer for person, answer in answers.items() if group_of[person] == group]
        if len(given) >= workshop.consensus_min_voters:
            shares.append(100 * given.count("agree") / len(given))
    if shares and all(share >= workshop.consensus_threshold for share in shares):
        return "agreed"
    if shares and max(shares) - min(shares) >= workshop.divisive_gap:
        return "divisive"
    return "open"


def _build_outline(room: Room, role_key: str, role_id: int) -> None:
    """The room builds one role's outline from its ideas, types a line, details a competence,
    and signs it off."""
    version = outlines.ensure_outline(room.actor, room.workshop_id, role_id)["number"]
    adopted = {"responsibilities": [], "competences": []}
    for card_id in _ideas_for_outline(room, role_id, role_key):
        section = "responsibilities" if room.ideas[card_id].kind == "responsibility" else "competences"
        version = _change(room, role_id, version, kind="add_card", section=section,
                          card_id=card_id)["number"]
        adopted[section].append(card_id)
    typed = TYPED_LINES[role_key]
    changed = _change(room, role_id, version, kind="add_text", section="responsibilities",
                      text=typed)
    details = {"type": "knowledge", "level": COMPETENCE_LEVELS[role_key],
               "requirement": "essential", "assessment": ["interview", "observed practice"]}
    if not changed["content"]["competences"]:
        changed = _change(room, role_id, changed["number"], kind="add_text",
                          section="competences", text="Knows the local services well")
    first = changed["content"]["competences"][0]
    changed = _change(room, role_id, changed["number"], kind="update_item",
                      section="competences", item_id=first["id"], changes=details)
    outlines.sign_off(room.actor, room.workshop_id, role_id, changed["number"],
                      "Agreed by the room")
    room.signed[role_id] = Signed(changed["number"], adopted, typed, details)


def _ideas_for_outline(room: Room, role_id: int, role_key: str) -> list[int]:
    """The role's agreed ideas and the first agreed ideas for any role (without a vote, the
    role's first ideas); the nurse's outline also keeps one divisive idea, to discuss later."""
    merged = room.kept_merge.source_id if room.kept_merge else None
    usable = [card for card in room.card_ids if card != merged]
    if not room.expected:
        return [card for card in usable if room.ideas[card].role_id == role_id][:4]
    mine = [card for card in usable if room.ideas[card].role_id == role_id
            and room.expected.get(card) == "agreed"]
    shared = [card for card in usable if room.ideas[card].role_id is None
              and room.expected.get(card) == "agreed"][:2]
    divisive = [card for card in usable if room.ideas[card].role_id == role_id
                and room.expected.get(card) == "divisive"][:1] if role_key == "cmhc_nurse" else []
    return mine + shared + divisive


def _change(room: Room, role_id: int, base: int, **operation) -> dict:
    return outlines.change(room.actor, room.workshop_id, role_id, base, operation)
