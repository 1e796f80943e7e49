"""Workshops, who may work on them, their stakeholder groups and the roles under design."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.clock import utcnow
from .base import Base


class Workshop(Base):
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    held_on: Mapped[date]
    venue: Mapped[str] = mapped_column(String(120), default="")
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    phase: Mapped[str] = mapped_column(String(20), default="lobby")
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Counts every broadcast to the whole room, so a phone can tell it missed one.
    broadcast_seq: Mapped[int] = mapped_column(default=0)
    # Hands out participant numbers ("Participant 7") without a race.
    participant_seq: Mapped[int] = mapped_column(default=0)
    retention_months: Mapped[int] = mapped_column(default=12)
    # When set, a new card reaches the screen only after the facilitator approves it.
    approve_first: Mapped[bool] = mapped_column(default=False)
    # The consensus rule (see coprod.domain.consensus); changes are audited.
    consensus_threshold: Mapped[int] = mapped_column(default=60, server_default="60")
    consensus_min_voters: Mapped[int] = mapped_column(default=2, server_default="2")
    divisive_gap: Mapped[int] = mapped_column(default=30, server_default="30")
    # An optional countdown for the current phase, shown on the projector and phones.
    countdown_ends_at: Mapped[datetime | None]
    # The role whose outline the projector shows while the room builds it (checked by the
    # service; no foreign key, so adding it did not mean rebuilding this table on SQLite).
    shown_role_id: Mapped[int | None]
    # When locked, new people are turned away kindly; people who joined before still get back in.
    joining_locked: Mapped[bool] = mapped_column(default=False, server_default=false())
    # How many people the facilitator expects, so the console can warn about too many joins.
    expected_size: Mapped[int | None]
    # The projector shows every label and idea in Welsh and English.
    bilingual_wall: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The role redesign project this session belongs to, and its place in it (1, 2, ...).
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    session_number: Mapped[int] = mapped_column(default=1, server_default="1")
    # What the "Before you start" page tells people: what will happen, how long it takes, and
    # what expenses or payment are offered.
    what_happens: Mapped[str] = mapped_column(Text, default="", server_default="")
    duration: Mapped[str] = mapped_column(String(80), default="", server_default="")
    expenses: Mapped[str] = mapped_column(String(600), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    constituencies: Mapped[list["Constituency"]] = relationship(
        order_by="Constituency.position", back_populates="workshop")
    roles: Mapped[list["Role"]] = relationship(order_by="Role.position", back_populates="workshop")
    members: Mapped[list["WorkshopMember"]] = relationship(back_populates="workshop")
    project: Mapped["Project"] = relationship()  # noqa: F821


class WorkshopMember(Base):
    """An account's access to a workshop: owner, facilitator, helper or lead."""

    __tablename__ = "workshop_member"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    access: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    workshop: Mapped[Workshop] = relationship(back_populates="members")
    user: Mapped["User"] = relationship()  # noqa: F821


class Constituency(Base):
    __tablename__ = "constituency"
    __table_args__ = (UniqueConstraint("workshop_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)
    # Retired groups stay for the record (people may have joined as one) but are not offered.
    retired: Mapped[bool] = mapped_column(default=False)

    workshop: Mapped[Workshop] = relationship(back_populates="constituencies")


class Role(Base):
    """A role the workshop is designing, such as Navigator."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    title: Mapped[str] = mapped_column(String(80))
    setting: Mapped[str] = mapped_column(String(120), default="")
    purpose: Mapped[str] = mapped_column(String(280), default="")
    template_key: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    # The same role in the project's previous session, which this one continues.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))

    workshop: Mapped[Workshop] = relationship(back_populates="roles")
