"""Persistence only: typed SQLAlchemy 2.x models. Rules live in coprod.domain."""

from .audit import AuditChain, AuditEvent
from .card import Card, CardRevision
from .outline import OutlineVersion
from .participant import ClientAction, Participant
from .project import EvidenceItem, Milestone, Project, ReturnCode
from .user import SetupToken, User
from .voting import Ballot, CardMerge, RoundCard, Vote, VoteRound
from .workshop import Constituency, Role, Workshop, WorkshopMember

__all__ = [
    "AuditChain", "AuditEvent", "Card", "CardRevision", "ClientAction", "Constituency",
    "Participant", "Role", "SetupToken", "User", "Workshop", "WorkshopMember", "Ballot",
    "CardMerge", "RoundCard", "Vote", "VoteRound", "OutlineVersion",
    "EvidenceItem", "Milestone", "Project", "ReturnCode",
]
