"""Role redesign projects: several sessions (workshops), milestones, an evidence pack, and the
return codes that let a participant be recognised in the next session if they choose."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.clock import utcnow
from .base import Base


class Project(Base):
    """A role redesign run over several sessions; its roles and outlines carry from one to the
    next (each session is a Workshop with `project_id` and `session_number`)."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(600), default="", server_default="")
    # The population need the new roles serve, in the project's own words.
    population_need: Mapped[str] = mapped_column(String(600), default="", server_default="")
    # How many people the project hopes for from each group, in each session.
    target_per_group: Mapped[int | None]
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    milestones: Mapped[list["Milestone"]] = relationship(
        order_by="(Milestone.due_on, Milestone.id)", back_populates="project")
    evidence: Mapped[list["EvidenceItem"]] = relationship(
        order_by="(EvidenceItem.position, EvidenceItem.id)", back_populates="project")


class Milestone(Base):
    """A dated step of the project, such as "outlines to workforce team"."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date]
    done_on: Mapped[date | None]

    project: Mapped[Project] = relationship(back_populates="milestones")


class EvidenceItem(Base):
    """One item of the evidence pack: a summary in plain words, its source, and a link or a PDF.

    An uploaded PDF is stored outside the database under `stored_name` (made by coprod, never
    the name it was uploaded with), and served only as a download.
    """

    __tablename__ = "evidence_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(600), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    published_on: Mapped[date | None]
    url: Mapped[str | None] = mapped_column(String(500))
    file_name: Mapped[str | None] = mapped_column(String(200))
    stored_name: Mapped[str | None] = mapped_column(String(80))
    file_size: Mapped[int | None]
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    added_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship(back_populates="evidence")


class ReturnCode(Base):
    """A short code a participant asked for, to be recognised in a later session of the project.

    Using it keeps their pseudonym (number) and group; it works once, and not after `expires_at`.
    """

    __tablename__ = "return_code"
    __table_args__ = (UniqueConstraint("project_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    code: Mapped[str] = mapped_column(String(12))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    # Set when a facilitator issued it (to print on a card), rather than the person's own phone.
    issued_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
