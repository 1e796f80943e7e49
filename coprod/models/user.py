"""Accounts (admin, facilitator, helper, lead) and the one-time setup link."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.clock import utcnow
from .base import Base


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # Raised on logout and password change: sessions and sockets holding an older value end.
    session_epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # What Flask-Login asks of a signed-in user (written here, so models need no web framework).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """Flask-Login identity: the id plus the epoch, so old sessions stop working."""
        return f"{self.id}:{self.session_epoch}"

    @property
    def is_active(self) -> bool:
        return self.is_enabled


class SetupToken(Base):
    """The one-time link printed on first start, to create the first facilitator account."""

    __tablename__ = "setup_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
