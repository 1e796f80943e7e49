"""Room names: who hears what (see docs/protocol.md)."""

NAMESPACE = "/"  # coprod uses Socket.IO's default namespace only


def phones(workshop_id: int) -> str:
    """Every participant's phone in a workshop."""
    return f"w{workshop_id}:phones"


def projector(workshop_id: int) -> str:
    """The projector views of a workshop."""
    return f"w{workshop_id}:projector"


def staff(workshop_id: int) -> str:
    """The facilitator consoles of a workshop."""
    return f"w{workshop_id}:staff"


def participant(participant_id: int) -> str:
    """Every open tab of one participant."""
    return f"p{participant_id}"


def user(user_id: int) -> str:
    """Every socket of one signed-in account (closed on sign-out)."""
    return f"u{user_id}"


def member(workshop_id: int, user_id: int) -> str:
    """One account's consoles and projectors of one workshop (closed when it is unshared)."""
    return f"w{workshop_id}:u{user_id}"


def of(whose: str, ids: tuple[int, ...]) -> str:
    """The room of an AccessEnded's screens: ("user", (5,)), ("member", (3, 5)), ("participant", (9,))."""
    return {"user": user, "member": member, "participant": participant}[whose](*ids)
