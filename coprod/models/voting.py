"""Vote rounds, the cards in them, each person's ballot and votes.

The budget and per-card rules are enforced by the database as well as the code: a ballot and a
vote carry copies of their round's mode and limits, tied to the round by composite foreign keys,
and CHECK constraints hold the counts within them (in dot voting a ballot always has a budget and
a vote is at least one dot). One vote per person, card and round is a unique constraint.
"""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.clock import utcnow
from .base import Base


class VoteRound(Base):
    __tablename__ = "vote_round"
    __table_args__ = (
        UniqueConstraint("workshop_id", "number"),
        UniqueConstraint("id", "budget"),
        UniqueConstraint("id", "max_per_card"),
        UniqueConstraint("id", "mode"),
        CheckConstraint("max_per_card >= 1", name="max_per_card_positive"),
        CheckConstraint("budget IS NULL OR budget >= max_per_card", name="budget_covers_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    number: Mapped[int]
    mode: Mapped[str] = mapped_column(String(10))
    budget: Mapped[int | None]
    max_per_card: Mapped[int]
    state: Mapped[str] = mapped_column(String(10), default="open")
    # Results stay off the projector and phones until revealed, so later voters are not swayed.
    hide_until_reveal: Mapped[bool] = mapped_column(default=True)
    revealed_at: Mapped[datetime | None]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    cards: Mapped[list["RoundCard"]] = relationship(order_by="RoundCard.position")


class RoundCard(Base):
    """A card offered in a round (chosen when the round opens)."""

    __tablename__ = "round_card"

    round_id: Mapped[int] = mapped_column(ForeignKey("vote_round.id"), primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class Ballot(Base):
    """One person's dots in one round: `used` can never pass the round's budget."""

    __tablename__ = "ballot"
    __table_args__ = (
        UniqueConstraint("round_id", "participant_id"),
        ForeignKeyConstraint(["round_id", "budget"], ["vote_round.id", "vote_round.budget"],
                             name="fk_ballot_round_budget"),
        ForeignKeyConstraint(["round_id", "mode"], ["vote_round.id", "vote_round.mode"],
                             name="fk_ballot_round_mode"),
        CheckConstraint("used >= 0", name="used_not_negative"),
        CheckConstraint("budget IS NULL OR used <= budget", name="within_budget"),
        # Only agree rounds go without a budget: a NULL budget would skip the foreign key above
        # and the check before this one.
        CheckConstraint("mode = 'agree' OR budget IS NOT NULL", name="budget_in_dots"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("vote_round.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    budget: Mapped[int | None]
    mode: Mapped[str] = mapped_column(String(10))
    used: Mapped[int] = mapped_column(default=0)


class Vote(Base):
    __tablename__ = "vote"
    __table_args__ = (
        UniqueConstraint("round_id", "card_id", "participant_id"),
        # One person's votes in a round are read on every tap, and a round's live tally several
        # times a second: this index answers both without touching the table.
        Index("ix_vote_round_voter", "round_id", "participant_id", "card_id", "value",
              "entered_by_user_id"),
        ForeignKeyConstraint(["round_id", "cap"], ["vote_round.id", "vote_round.max_per_card"],
                             name="fk_vote_round_cap"),
        ForeignKeyConstraint(["round_id", "card_id"], ["round_card.round_id", "round_card.card_id"],
                             name="fk_vote_round_card"),
        ForeignKeyConstraint(["round_id", "mode"], ["vote_round.id", "vote_round.mode"],
                             name="fk_vote_round_mode"),
        CheckConstraint("value >= -1 AND value <= cap", name="within_card_limit"),
        # Disagree is stored as -1, but a dot vote is at least one dot (none means no row).
        CheckConstraint("mode = 'agree' OR value >= 1", name="dots_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("vote_round.id"))
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    value: Mapped[int]
    cap: Mapped[int]
    mode: Mapped[str] = mapped_column(String(10))
    entered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CardMerge(Base):
    """A card folded into another; `moves` records the votes changed, so the merge can be undone."""

    __tablename__ = "card_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("card.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("card.id"), index=True)
    source_state: Mapped[str] = mapped_column(String(20))
    moves: Mapped[str] = mapped_column(Text, default="[]")
    merged_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]

    source: Mapped["Card"] = relationship(foreign_keys=[source_id])  # noqa: F821
