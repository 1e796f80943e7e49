"""Who made a change, as recorded on the audit trail (never a name: names stay off the chain)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    kind: str  # "user", "participant", "helper" (a user acting for a paper participant), "system"
    user_id: int | None = None
    role: str | None = None
    participant_id: int | None = None
    constituency: str | None = None

    @classmethod
    def user(cls, user_id: int, role: str) -> "Actor":
        """A signed-in account."""
        return cls("user", user_id=user_id, role=role)

    @classmethod
    def participant(cls, participant_id: int, constituency: str) -> "Actor":
        """Someone who joined from their own phone."""
        return cls("participant", participant_id=participant_id, constituency=constituency)

    @classmethod
    def system(cls) -> "Actor":
        """coprod itself, or a command run on the server."""
        return cls("system")

    def acting_for(self, participant_id: int, constituency: str) -> "Actor":
        """This user entering something for a participant without a phone."""
        return Actor("helper", user_id=self.user_id, role=self.role,
                     participant_id=participant_id, constituency=constituency)

    def as_audit(self) -> dict:
        """The actor as stored in an audit event: ids and group, no personal data."""
        return {key: value for key, value in (
            ("kind", self.kind), ("user_id", self.user_id), ("role", self.role),
            ("participant_id", self.participant_id), ("constituency", self.constituency),
        ) if value is not None}
