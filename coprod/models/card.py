"""Cards (responsibilities and competences) and the wording each had before an edit."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.clock import utcnow
from .base import Base
from .participant import Participant
from .workshop import Role


class Card(Base):
    __tablename__ = "card"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    text: Mapped[str] = mapped_column(String(280))
    # The language it was typed in ("cy" or "en"), and its wording in the other language, added
    # by a facilitator (shown beside it on the wall and in exports).
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    translation: Mapped[str | None] = mapped_column(String(280))
    translated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(String(20), default="visible")
    hidden_reason: Mapped[str | None] = mapped_column(String(200))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("card.id"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    entered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # A seed idea from the project's evidence pack ("From the evidence: ...").
    evidence_item_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_item.id"))
    # Carried forward from the project's previous session: the card it continues, and the
    # result it had there ("agreed", "divisive" or "open"; None if it was never voted on).
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("card.id"))
    earlier_result: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    participant: Mapped[Participant | None] = relationship(foreign_keys=[participant_id])
    role: Mapped[Role | None] = relationship()
    revisions: Mapped[list["CardRevision"]] = relationship(order_by="CardRevision.version")


class CardRevision(Base):
    """One wording of a card; version 1 is what its author wrote."""

    __tablename__ = "card_revision"
    __table_args__ = (UniqueConstraint("card_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(String(280))
    edited_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
