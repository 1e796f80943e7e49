"""Who may join, and how fast a real room joins: the rules behind "Lock the room".

One person, one ballot, as far as a room can tell: a facilitator who sees more joins than people
in the room, or joins arriving faster than any room can make them, locks the room. These rules
only decide; the participants service applies them and the console shows what they say.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import Forbidden, InvalidInput
from .i18n import _

LOCKED = _("This workshop is not taking new people just now. Please ask the facilitator.")

WINDOW = timedelta(minutes=1)

# A burst is more joins inside one minute than a real room makes. Joining takes each person
# 20 to 40 seconds (scan the code, read the notice, choose a group), and a room told "join now"
# spreads over one to three minutes; even a whole room behind one venue Wi-Fi address (one NAT)
# can do no more than the whole room in one minute. So:
# - with an expected size, a burst is more than that many joins in one minute (a room of 300
#   joining all at once does not warn), but never fewer than BURST_FLOOR, so that a small room's
#   quick start (20 expected, 25 joined in a minute as a few people retry on a second phone) is
#   not called an attack: exceeding the expected size says that part more gently;
# - without one, the largest room coprod is built and measured for (ROOM_MOST, see bench/) sets
#   the bar. A script joining thousands a minute (6,954 in the probe) passes either bar at once.
BURST_FLOOR = 60
ROOM_MOST = 300


# A bound on the expected size, well above any room: a typo of 30000 is caught, not stored.
EXPECTED_MOST = 2000


def clean_expected_size(value) -> int | None:
    """The number of people expected, or None when the facilitator leaves it empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= EXPECTED_MOST:
        raise InvalidInput(_("Please give a number of people from 1 to %(most)s, or leave it empty.",
                             most=EXPECTED_MOST), field="expected_size")
    return value


class RoomLocked(Forbidden):
    """The facilitator has locked the room: new people are turned away, kindly."""

    code = "room_locked"

    def __init__(self):
        super().__init__(LOCKED, field="code")


def check_new_person(joining_locked: bool) -> None:
    """Refuse a new person while the room is locked.

    Only people joining from their own device are new here: someone who joined before comes back
    with their join cookie, and a helper adding a person on paper or a facilitator choosing to
    vote too is staff deciding in the room, so neither is turned away by the lock.
    """
    if joining_locked:
        raise RoomLocked()


def burst_limit(expected_size: int | None) -> int:
    """The most joins in one minute a real room of this size makes (see BURST_FLOOR)."""
    if expected_size is None:
        return ROOM_MOST
    return max(BURST_FLOOR, expected_size)


@dataclass(frozen=True)
class JoinPace:
    """How a room is joining: the console's figures and warnings, as of `now`."""

    total: int
    expected_size: int | None
    last_minute: int  # joins in the minute before `now`
    busiest_minute: int  # the most joins inside any one minute so far
    recent: tuple[tuple[int, int], ...]  # (seconds ago, joins) for the last minute, newest first
    over_expected: bool
    burst: bool

    @property
    def warnings(self) -> list[str]:
        """The warnings that hold, by name, most serious first."""
        return [name for name, holds in (("burst", self.burst), ("over_expected", self.over_expected))
                if holds]


def join_pace(joined_at: list[datetime], total: int, expected_size: int | None,
              now: datetime) -> JoinPace:
    """How the room is joining, from every join time so far (any order) and the people in it.

    `total` counts the people taking part now (people removed are left out); `joined_at` has every
    join ever, since a burst stays worth knowing after its people are removed.
    """
    times = sorted(joined_at)
    busiest = _busiest_minute(times)
    recent = _recent(times, now)
    return JoinPace(total=total, expected_size=expected_size,
                    last_minute=sum(count for _, count in recent), busiest_minute=busiest,
                    recent=recent,
                    over_expected=expected_size is not None and total > expected_size,
                    burst=busiest > burst_limit(expected_size))


def _busiest_minute(times: list[datetime]) -> int:
    # A sliding window over sorted times: linear, however many joined.
    busiest, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= WINDOW:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def _recent(times: list[datetime], now: datetime) -> tuple[tuple[int, int], ...]:
    # At most 60 pairs, so a console can let the last minute's count fall as time passes
    # without asking again.
    ages: dict[int, int] = {}
    for moment in times:
        age = now - moment
        if age < WINDOW:  # a join stamped a moment ahead (another worker's clock) is new
            seconds = max(0, int(age.total_seconds()))
            ages[seconds] = ages.get(seconds, 0) + 1
    return tuple(sorted(ages.items()))
