"""Reading and verifying the audit trail. (Events are appended by services/chain.py.)"""

import json
from dataclasses import dataclass, field

from sqlalchemy import exists, select, update

from ..domain.actors import Actor
from ..domain.audit import GENESIS_HASH, AuditRecord, ChainProblem, verify_chain
from ..domain.errors import NotFound
from ..domain.i18n import Message, _, ngettext
from ..domain.seal import KeyRing
from ..extensions import db
from ..models import AuditChain, AuditEvent, User, Workshop
from .audit_keys import add_signing_key, key_ring
from .chain import SYSTEM_CHAIN, chain_key
from .unit import unit_of_work

# Translators: the reasons below follow "Event 3 fails verification: " (see domain/audit.py).
BAD_SEAL = _("the chain head's seal does not match: the trail was changed outside coprod, or the "
             "audit key is not the one that sealed it")
# Translators: keep the command as it is.
NO_SEAL = _("the chain head has no seal (run `flask --app coprod seal-audit` once after upgrading)")
NO_CHAIN = _("the workshop has no audit chain at all")
# Translators: "workshop.created" is the name of an event: keep it as it is.
NO_EVENTS = _("event 1 is missing: every workshop's chain starts with workshop.created")


@dataclass(frozen=True)
class ChainCheck:
    key: str
    events: int
    head_hash: str
    ok: bool
    bad_seq: int | None = None
    reason: Message | None = None
    head_seq: int = 0
    unsealed: bool = False  # every event verifies; only the head's seal is missing

    def describe(self) -> Message:
        """One line for the page or the terminal."""
        if self.ok:
            # Translators: %(chain)s is a chain's name ("system", "workshop:4"), kept as it is.
            return ngettext("%(chain)s: %(count)s event, all verified. Chain head %(hash)s.",
                            "%(chain)s: %(count)s events, all verified. Chain head %(hash)s.",
                            self.events, chain=self.key, hash=self.head_hash)
        return _("%(chain)s: event %(seq)s fails verification: %(reason)s.",
                 chain=self.key, seq=self.bad_seq, reason=self.reason)


def _record(chain: AuditChain, event: AuditEvent) -> AuditRecord:
    # The stored text itself, never re-serialised: what was hashed is what is stored.
    return AuditRecord(chain=chain.key, seq=event.seq, at=event.at, actor=event.actor,
                       action=event.action, payload=event.payload, prev_hash=event.prev_hash)


def check_chain(chain: AuditChain, keys: KeyRing | None = None) -> ChainCheck:
    """Recompute every hash of one chain, compare it with what is stored, and check the seal."""
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.chain_id == chain.id)
                                .order_by(AuditEvent.seq)).all()
    problem = verify_chain([(_record(chain, event), event.hash) for event in events],
                           chain.head_seq, chain.head_hash)
    if problem is None and chain.workshop_id is not None and not events:
        problem = ChainProblem(1, NO_EVENTS)  # a chain emptied and reset to its start
    unsealed = False
    if problem is None and not (keys or key_ring()).verifies(
            chain.head_seal, chain.key, chain.head_seq, chain.head_hash):
        unsealed = chain.head_seal is None
        if not (unsealed and _untouched_system_chain(chain, events)):
            problem = ChainProblem(chain.head_seq, NO_SEAL if unsealed else BAD_SEAL)
    if problem:
        return ChainCheck(chain.key, len(events), chain.head_hash, False, problem.seq,
                          problem.reason, chain.head_seq, unsealed)
    return ChainCheck(chain.key, len(events), chain.head_hash, True, head_seq=chain.head_seq)


def _untouched_system_chain(chain: AuditChain, events: list) -> bool:
    # The migration creates the system chain empty, before any key exists; its first event (the
    # setup link on first start) seals it. Empty is only believable while nothing else exists.
    return (chain.key == SYSTEM_CHAIN and not events and chain.head_hash == GENESIS_HASH
            and not db.session.scalar(select(exists().where(User.id.is_not(None))))
            and not db.session.scalar(select(exists().where(Workshop.id.is_not(None)))))


def _missing_chain(workshop_id: int) -> ChainCheck:
    return ChainCheck(chain_key(workshop_id), 0, "", False, 1, NO_CHAIN)


def verify(workshop_id: int | None = None) -> ChainCheck:
    """Check one workshop's chain (or the system chain for None)."""
    chain = db.session.scalar(select(AuditChain).where(AuditChain.key == chain_key(workshop_id)))
    if chain is None:
        if workshop_id is not None and db.session.get(Workshop, workshop_id) is not None:
            return _missing_chain(workshop_id)
        raise NotFound(_("There is no workshop %(number)s.", number=workshop_id))
    return check_chain(chain)


def verify_all() -> list[ChainCheck]:
    """Check every chain (the system one and each workshop's), and that no workshop lacks one."""
    keys = key_ring()
    checks = [check_chain(chain, keys)
              for chain in db.session.scalars(select(AuditChain).order_by(AuditChain.id))]
    chained = select(AuditChain.workshop_id).where(AuditChain.workshop_id.is_not(None))
    orphans = db.session.scalars(select(Workshop.id).where(Workshop.id.not_in(chained))
                                 .order_by(Workshop.id))
    return checks + [_missing_chain(workshop_id) for workshop_id in orphans]


@dataclass(frozen=True)
class HeadFound:
    """Where a head hash from an export is on the trail, and whether the trail still holds."""

    hash: str
    check: ChainCheck | None = None  # None: no event has that hash
    seq: int = 0
    action: str = ""

    @property
    def ok(self) -> bool:
        """Whether the event is there and its chain verifies through it to a sealed head."""
        return self.check is not None and self.check.ok

    def describe(self) -> Message:
        """A plain sentence for the terminal."""
        if self.check is None:
            return _("No event on this trail has the hash %(hash)s. Either the trail has changed "
                     "since that export was made, or the export comes from another database.",
                     hash=self.hash)
        where = {"seq": self.seq, "action": self.action, "chain": self.check.key}
        if not self.check.ok:
            return _("That hash is event %(seq)s (%(action)s) of %(chain)s, but that chain does "
                     "not verify: %(problem)s", problem=self.check.describe(), **where)
        return _("That hash is event %(seq)s (%(action)s) of %(chain)s. The chain verifies "
                 "through it to its sealed head, event %(head)s.", head=self.check.head_seq, **where)


def find_head(head_hash: str, workshop_id: int | None = None) -> HeadFound:
    """Find the event with this hash (on one workshop's chain, or any) and check its chain."""
    head_hash = head_hash.strip().lower()
    query = (select(AuditEvent, AuditChain).join(AuditChain, AuditEvent.chain_id == AuditChain.id)
             .where(AuditEvent.hash == head_hash))
    if workshop_id is not None:
        query = query.where(AuditChain.key == chain_key(workshop_id))
    found = db.session.execute(query.order_by(AuditEvent.id).limit(1)).first()
    if found is None:
        return HeadFound(head_hash)
    event, chain = found
    return HeadFound(head_hash, check_chain(chain), event.seq, event.action)


@dataclass(frozen=True)
class Resealed:
    """What sealing every head did: how many were sealed, or the chains that stopped it."""

    sealed: int = 0
    key_id: str = ""
    problems: list[ChainCheck] = field(default_factory=list)


def seal_unsealed_heads() -> Resealed:
    """The one-time upgrade: seal heads written before seals existed, once every chain verifies.

    A head whose seal is wrong is never sealed again (that would hide a change): nothing is
    written while any chain fails for another reason than a missing seal.
    """
    return _reseal("audit.heads_sealed", allow_unsealed=True, new_key=False)


def rotate_key() -> Resealed:
    """Put a new key first in the key file and seal every head with it, once all verify.

    The old keys stay in the file, so copies and exports sealed with them can still be checked.
    """
    return _reseal("audit.key_rotated", allow_unsealed=False, new_key=True)


def _reseal(action: str, allow_unsealed: bool, new_key: bool) -> Resealed:
    # Verify without holding any lock (a big trail takes a while), then seal under the locks.
    checks = verify_all()
    problems = [check for check in checks
                if not check.ok and not (allow_unsealed and check.unsealed)]
    if problems:
        return Resealed(problems=problems)
    verified = {check.key: (check.head_seq, check.head_hash) for check in checks}
    if new_key:
        add_signing_key()
    with unit_of_work(Actor.system()) as unit:
        keys = key_ring()
        chains = unit.session.execute(select(AuditChain.id, AuditChain.key, AuditChain.head_seq,
                                             AuditChain.head_hash, AuditChain.head_seal)
                                      .order_by(AuditChain.id).with_for_update()).all()
        for chain in chains:
            # A head that moved since it was checked was moved by coprod: its seal says so.
            if (chain.head_seq, chain.head_hash) != verified.get(chain.key) and \
                    not keys.verifies(chain.head_seal, chain.key, chain.head_seq, chain.head_hash):
                raise RuntimeError(str(_("%(chain)s changed while its head was being sealed",
                                         chain=chain.key)))
            unit.session.execute(update(AuditChain).where(AuditChain.id == chain.id).values(
                head_seal=keys.seal(chain.key, chain.head_seq, chain.head_hash)))
        unit.audit(action, {"chains": len(chains), "key_id": keys.signing_id}, workshop_id=None)
    return Resealed(len(chains), keys.signing_id)


@dataclass(frozen=True)
class EventView:
    seq: int
    at: str
    actor: dict
    action: str
    payload: dict
    hash: str


def events_for(workshop_id: int, newest_first: bool = True) -> list[EventView]:
    """A workshop's audit events, ready to show."""
    order = AuditEvent.seq.desc() if newest_first else AuditEvent.seq
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.workshop_id == workshop_id)
                              .order_by(order))
    return [EventView(row.seq, row.at.isoformat(sep=" ", timespec="seconds"),
                      json.loads(row.actor), row.action, json.loads(row.payload), row.hash)
            for row in rows]


def head(workshop_id: int) -> tuple[int, str]:
    """The newest sequence number and hash of a workshop's chain."""
    chain = db.session.scalar(select(AuditChain).where(AuditChain.key == chain_key(workshop_id)))
    return chain.head_seq, chain.head_hash
