"""People who joined a workshop (from a phone, or on paper through a helper)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.clock import utcnow
from ..domain.i18n import Message, _
from .base import Base
from .workshop import Constituency


def pseudonym(number: int) -> Message:
    """How everyone else knows participant `number`: "Participant 3", in the reader's language."""
    return _("Participant %(number)s", number=number)


class Participant(Base):
    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("workshop_id", "number"),
                      UniqueConstraint("workshop_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    constituency_id: Mapped[int] = mapped_column(ForeignKey("constituency.id"), index=True)
    number: Mapped[int]
    # Personal data: kept off the audit chain so that erasing it never breaks the chain.
    nickname: Mapped[str | None] = mapped_column(String(40))
    on_paper: Mapped[bool] = mapped_column(default=False)
    added_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Set when a facilitator chose to vote too: their own participant in this workshop.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    consent_version: Mapped[str] = mapped_column(String(20))
    # The language of the notice they agreed to: "cy" or "en".
    consent_language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when they came back with a return code: the same person in an earlier session.
    returned_from_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    # Set when a facilitator removed this person: their phone is closed and cannot come back.
    removed_at: Mapped[datetime | None]

    constituency: Mapped[Constituency] = relationship()

    @property
    def label(self) -> str:
        """How the facilitator sees this person: pseudonym, and the name if one was given."""
        return f"{self.pseudonym} ({self.nickname})" if self.nickname else self.pseudonym

    @property
    def pseudonym(self) -> Message:
        """How everyone else knows this person: "Participant 3", in the reader's language."""
        return pseudonym(self.number)


class ClientAction(Base):
    """An action a device sent with its own id: a repeat is answered with the stored result."""

    __tablename__ = "client_action"
    __table_args__ = (UniqueConstraint("actor_key", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    actor_key: Mapped[str] = mapped_column(String(40))  # "p:<participant id>" or "u:<user id>"
    client_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
