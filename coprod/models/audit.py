"""The append-only audit trail: one row per change, chained by SHA-256 per workshop."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AuditChain(Base):
    """The head of one chain ("system" or "workshop:<id>"), locked while an event is appended."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id"))
    head_seq: Mapped[int] = mapped_column(default=0)
    head_hash: Mapped[str] = mapped_column(String(64))
    # A MAC over (key, head_seq, head_hash) with a key kept outside the database (docs/audit.md).
    head_seal: Mapped[str | None] = mapped_column(String(200))


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("chain_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("audit_chain.id"))
    seq: Mapped[int]
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id"), index=True)
    at: Mapped[datetime]
    # Stored as the exact JSON text that was hashed, so verification reads back the same bytes.
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(60))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
