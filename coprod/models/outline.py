"""Role outline versions: immutable snapshots; signing off marks one agreed and freezes it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.clock import utcnow
from .base import Base


class OutlineVersion(Base):
    __tablename__ = "outline_version"
    __table_args__ = (UniqueConstraint("role_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"), index=True)
    number: Mapped[int]
    # The whole outline as JSON (see coprod.domain.outlines); never changed once written.
    content: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    saved_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    agreed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    agreed_at: Mapped[datetime | None]
    agreed_note: Mapped[str | None] = mapped_column(String(300))
    # The session of the project that made this version; numbers continue across sessions, and
    # a version carried into a later session keeps the session that made it.
    session_number: Mapped[int] = mapped_column(default=1, server_default="1")
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("outline_version.id"))
