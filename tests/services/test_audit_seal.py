"""Sealed chain heads: someone who can write the database, but has no audit key, is caught.

Each test plays an attacker with write access to a copy of the database: they drop the triggers
that refuse changes to audit rows, rewrite what they like, and recompute every hash (the
algorithm is public). Only the seal, made with a key outside the database, gives them away.
"""

import os
import stat

import pytest
from sqlalchemy import delete, insert, select, text, update

from coprod.domain.audit import GENESIS_HASH, AuditRecord, event_hash, new_record
from coprod.extensions import db
from coprod.models import AuditChain, AuditEvent
from coprod.services import audit
from coprod.services.audit_keys import key_ring

from ..factories import join, make_user, make_workshop, set_phase
from .test_audit_trail import drop_guards

BAD_SEAL = "the chain head's seal does not match"


@pytest.fixture
def own_key(app, tmp_path):
    """A key file for this test alone (list it before workshop_id, so it seals the workshop)."""
    app.config["AUDIT_KEY_FILE"] = str(tmp_path / "audit.key")
    return tmp_path / "audit.key"


@pytest.fixture
def workshop_id(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute")
    for group in ("Carer", "Staff", "Service user or patient", "Carer"):
        join(workshop_id, group)
    return workshop_id  # events 1-6: created, phase changed, four joins


def verify_audit(app, *args: str):
    return app.test_cli_runner().invoke(args=["verify-audit", *args])


def chain_of(workshop_id: int | None) -> AuditChain:
    return db.session.scalar(select(AuditChain).where(
        AuditChain.key == audit.chain_key(workshop_id)))


def events_of(chain: AuditChain) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.chain_id == chain.id)
                              .order_by(AuditEvent.seq)).all()


def rewrite_chain(workshop_id: int | None, change) -> None:
    """Rewrite a chain as an attacker would: change its events, rehash them all, move the head.

    `change` gets the events as dicts (seq, at, actor, action and payload as stored text) and
    returns the ones to keep. The seal is left as it was: without the key it cannot be made.
    """
    drop_guards()
    chain = chain_of(workshop_id)
    rows = change([{"at": e.at, "actor": e.actor, "action": e.action, "payload": e.payload,
                    "workshop_id": e.workshop_id} for e in events_of(chain)])
    db.session.execute(delete(AuditEvent).where(AuditEvent.chain_id == chain.id))
    prev = GENESIS_HASH
    for seq, row in enumerate(rows, start=1):
        record = AuditRecord(chain.key, seq, row["at"], row["actor"], row["action"],
                             row["payload"], prev)
        digest = event_hash(record)
        db.session.execute(insert(AuditEvent).values(
            chain_id=chain.id, seq=seq, workshop_id=row["workshop_id"], at=row["at"],
            actor=row["actor"], action=row["action"], payload=row["payload"], prev_hash=prev,
            hash=digest))
        prev = digest
    db.session.execute(update(AuditChain).where(AuditChain.id == chain.id)
                       .values(head_seq=len(rows), head_hash=prev))
    db.session.commit()


def assert_caught(app, workshop_id: int | None, reason: str) -> None:
    """verify-audit, for every chain and for this one, exits 1 and says why."""
    for args in ([], ["--workshop", str(workshop_id)] if workshop_id else []):
        result = verify_audit(app, *args)
        assert result.exit_code == 1, result.output
        assert reason in result.output
        assert "Traceback" not in result.output


# The four rewrites the security probe made, each of which verify-audit once let through.

def test_an_edited_event_with_the_rest_of_the_chain_rehashed_is_caught(app, workshop_id):
    def edit(rows):
        rows[2]["payload"] = rows[2]["payload"].replace("Carer", "Staff")
        return rows
    rewrite_chain(workshop_id, edit)
    assert audit.verify(workshop_id).bad_seq == 6  # every hash holds; only the seal does not
    assert_caught(app, workshop_id, BAD_SEAL)


def test_newest_events_deleted_and_the_head_moved_back_is_caught(app, workshop_id):
    rewrite_chain(workshop_id, lambda rows: rows[:-2])
    assert chain_of(workshop_id).head_seq == 4
    assert_caught(app, workshop_id, BAD_SEAL)


def test_a_chain_emptied_and_its_head_reset_to_the_start_is_caught(app, workshop_id):
    rewrite_chain(workshop_id, lambda rows: [])
    db.session.execute(update(AuditChain).where(AuditChain.key == f"workshop:{workshop_id}")
                       .values(head_seal=None))
    db.session.commit()
    assert chain_of(workshop_id).head_hash == GENESIS_HASH
    assert_caught(app, workshop_id, "every workshop's chain starts with workshop.created")


def test_a_whole_chain_deleted_is_caught(app, workshop_id):
    rewrite_chain(workshop_id, lambda rows: [])
    db.session.execute(delete(AuditChain).where(AuditChain.key == f"workshop:{workshop_id}"))
    db.session.commit()
    assert_caught(app, workshop_id, "the workshop has no audit chain at all")


def test_a_forged_event_appended_with_the_head_moved_on_is_caught(app, workshop_id):
    def forge(rows):
        return rows + [{**rows[-1], "payload": rows[-1]["payload"].replace("Carer", "Staff")}]
    rewrite_chain(workshop_id, forge)
    assert_caught(app, workshop_id, BAD_SEAL)


def test_the_system_chain_emptied_and_reset_is_caught(app, workshop_id):
    rewrite_chain(None, lambda rows: [])
    db.session.execute(update(AuditChain).where(AuditChain.key == "system").values(head_seal=None))
    db.session.commit()
    result = verify_audit(app)
    assert result.exit_code == 1 and "system: event 0 fails verification" in result.output


def test_a_seal_made_for_another_chain_does_not_fit(app, workshop_id):
    other = make_workshop(make_user())
    seal = chain_of(other).head_seal
    drop_guards()
    db.session.execute(update(AuditChain).where(AuditChain.key == f"workshop:{workshop_id}")
                       .values(head_seal=seal))
    db.session.commit()
    assert_caught(app, workshop_id, BAD_SEAL)


# Single-row changes, without rehashing, are still caught as before.

def change_rows(statement: str, workshop_id: int) -> None:
    drop_guards()
    db.session.execute(text(statement), {"w": workshop_id})
    db.session.commit()


def test_a_single_edited_row_is_caught(app, workshop_id):
    change_rows("UPDATE audit_event SET action = 'card.added' WHERE workshop_id = :w AND seq = 4",
                workshop_id)
    assert_caught(app, workshop_id, "event 4 fails verification: its contents do not match")


def test_a_single_deleted_row_is_caught(app, workshop_id):
    change_rows("DELETE FROM audit_event WHERE workshop_id = :w AND seq = 2", workshop_id)
    assert_caught(app, workshop_id, "event 2 is missing")


def test_a_single_inserted_row_is_caught(app, workshop_id):
    drop_guards()
    chain = chain_of(workshop_id)
    newest = events_of(chain)[-1]
    record = new_record(chain.key, 7, newest.at, {"kind": "system"}, "card.added", {}, newest.hash)
    db.session.execute(insert(AuditEvent).values(
        chain_id=chain.id, seq=7, workshop_id=workshop_id, at=record.at, actor=record.actor,
        action=record.action, payload=record.payload, prev_hash=newest.hash,
        hash=event_hash(record)))
    db.session.commit()
    assert_caught(app, workshop_id, "event 7 is past the chain head (event 6)")


def test_two_rows_swapped_are_caught(app, workshop_id):
    drop_guards()
    rows = {e.seq: e.payload for e in events_of(chain_of(workshop_id))}
    for seq, other in ((3, 5), (5, 3)):
        db.session.execute(text("UPDATE audit_event SET payload = :p WHERE workshop_id = :w "
                                "AND seq = :s"), {"p": rows[other], "w": workshop_id, "s": seq})
    db.session.commit()
    assert_caught(app, workshop_id, "event 3 fails verification")


# The key, its file, and the commands around it.

def test_an_untouched_trail_verifies_with_every_head_sealed(app, workshop_id):
    result = verify_audit(app)
    assert result.exit_code == 0, result.output
    keys = key_ring()
    for chain in db.session.scalars(select(AuditChain)):
        assert chain.head_seal.startswith(f"{keys.signing_id}:")
        assert keys.verifies(chain.head_seal, chain.key, chain.head_seq, chain.head_hash)


def test_a_fresh_database_verifies_before_anything_happened(app):
    result = verify_audit(app)
    assert result.exit_code == 0, result.output
    assert "system: 0 events, all verified" in result.output


def test_another_servers_key_does_not_verify_the_trail(app, workshop_id, tmp_path):
    app.config["AUDIT_KEY_FILE"] = str(tmp_path / "other.key")
    assert_caught(app, workshop_id, "the audit key is not the one that sealed it")


def test_the_key_file_is_made_private_on_first_use(app, tmp_path):
    app.config["AUDIT_KEY_FILE"] = str(tmp_path / "keys" / "audit.key")
    make_workshop(make_user())
    path = tmp_path / "keys" / "audit.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    key_id, secret = path.read_text().split()
    assert key_id == key_ring().signing_id and len(bytes.fromhex(secret)) == 32


def test_rotating_the_key_reseals_every_head_and_keeps_the_old_key(app, own_key, workshop_id):
    runner = app.test_cli_runner()
    old_id = key_ring().signing_id
    result = runner.invoke(args=["rotate-audit-key"])
    assert result.exit_code == 0, result.output
    keys = key_ring()
    assert keys.signing_id != old_id and [k for k, _ in keys.keys] == [keys.signing_id, old_id]
    assert f"with key {keys.signing_id}" in result.output
    for chain in db.session.scalars(select(AuditChain)):
        assert chain.head_seal.startswith(f"{keys.signing_id}:"), chain.key
    assert audit.events_for(workshop_id)  # nothing of the workshop changed
    system = events_of(chain_of(None))[-1]
    assert system.action == "audit.key_rotated" and keys.signing_id in system.payload
    assert verify_audit(app).exit_code == 0


def test_a_head_sealed_with_an_old_key_still_verifies_after_rotation(app, own_key):
    make_user()
    old_seal = chain_of(None).head_seal
    ring = key_ring()
    own_key.write_text(
        f"k-new {'ab' * 32}\n" + "".join(f"{k} {s.hex()}\n" for k, s in ring.keys))
    assert chain_of(None).head_seal == old_seal and verify_audit(app).exit_code == 0
    make_user()
    assert chain_of(None).head_seal.startswith("k-new:")  # the running app signs with the new key
    assert verify_audit(app).exit_code == 0


def test_rotation_refuses_while_a_chain_fails_and_changes_nothing(app, own_key, workshop_id):
    rewrite_chain(workshop_id, lambda rows: rows[:-1])
    seals = {c.key: c.head_seal for c in db.session.scalars(select(AuditChain))}
    result = app.test_cli_runner().invoke(args=["rotate-audit-key"])
    assert result.exit_code == 1 and "Nothing was sealed" in result.output
    assert len(key_ring().keys) == 1  # no new key either
    db.session.rollback()
    assert {c.key: c.head_seal for c in db.session.scalars(select(AuditChain))} == seals


def unseal_everything() -> None:
    """A trail written before seals existed."""
    db.session.execute(update(AuditChain).values(head_seal=None))
    db.session.commit()


def test_seal_audit_seals_heads_from_before_seals_once_they_verify(app, workshop_id):
    unseal_everything()
    assert_caught(app, workshop_id, "the chain head has no seal")
    result = app.test_cli_runner().invoke(args=["seal-audit"])
    assert result.exit_code == 0, result.output
    assert "Sealed 2 chain heads" in result.output
    assert verify_audit(app).exit_code == 0
    assert events_of(chain_of(None))[-1].action == "audit.heads_sealed"


def test_seal_audit_never_seals_a_changed_chain(app, workshop_id):
    unseal_everything()
    change_rows("DELETE FROM audit_event WHERE workshop_id = :w AND seq = 3", workshop_id)
    result = app.test_cli_runner().invoke(args=["seal-audit"])
    assert result.exit_code == 1 and "event 3 is missing" in result.output
    db.session.rollback()
    assert chain_of(workshop_id).head_seal is None


def test_seal_audit_never_reseals_a_wrong_seal(app, workshop_id):
    rewrite_chain(workshop_id, lambda rows: rows[:-1])
    result = app.test_cli_runner().invoke(args=["seal-audit"])
    assert result.exit_code == 1 and BAD_SEAL in result.output
    assert verify_audit(app).exit_code == 1


# A head hash printed in an export.

def test_a_head_from_an_export_is_found_and_verified(app, workshop_id):
    seq, head_hash = audit.head(workshop_id)
    join(workshop_id, "Staff")  # the trail went on after the export
    result = verify_audit(app, "--head", head_hash.upper())
    assert result.exit_code == 0, result.output
    assert f"event {seq} (participant.joined) of workshop:{workshop_id}" in result.output
    assert f"sealed head, event {seq + 1}" in result.output


def test_a_head_on_a_rewritten_trail_is_not_found(app, workshop_id):
    _, head_hash = audit.head(workshop_id)
    def edit(rows):
        rows[1]["payload"] = rows[1]["payload"].replace("contribute", "review")
        return rows
    rewrite_chain(workshop_id, edit)
    result = verify_audit(app, "--head", head_hash)
    assert result.exit_code == 1
    assert "No event on this trail has the hash" in result.output
    assert "changed since that export was made" in result.output


def test_a_head_whose_chain_no_longer_verifies_fails(app, workshop_id):
    _, head_hash = audit.head(workshop_id)
    change_rows("UPDATE audit_event SET action = 'card.added' WHERE workshop_id = :w AND seq = 2",
                workshop_id)
    result = verify_audit(app, "--head", head_hash, "--workshop", str(workshop_id))
    assert result.exit_code == 1 and "that chain does not verify" in result.output


def test_a_head_looked_for_on_another_workshop_is_not_found(app, workshop_id):
    other = make_workshop(make_user())
    _, head_hash = audit.head(workshop_id)
    result = verify_audit(app, "--head", head_hash, "--workshop", str(other))
    assert result.exit_code == 1 and "No event on this trail" in result.output


def test_a_damaged_key_file_is_named_not_a_traceback(app, own_key, workshop_id):
    own_key.write_text("this is not a key\n")
    result = verify_audit(app)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"The audit key file {own_key} cannot be used: line 1 is not" in result.output
