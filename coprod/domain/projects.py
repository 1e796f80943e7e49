"""Role redesign projects: their details, and the rules for milestones and group targets."""

from dataclasses import dataclass
from datetime import date

from .errors import InvalidInput
from .i18n import _
from .text import clean_line

# A bound on the people hoped for from one group: a typo of 5000 is caught, not stored.
TARGET_MOST = 500


@dataclass(frozen=True)
class ProjectDetails:
    """A project as typed on its form; `clean_project` checks and tidies it."""

    title: str
    purpose: str = ""
    population_need: str = ""
    target_per_group: int | None = None


def clean_project(details: ProjectDetails) -> ProjectDetails:
    """The details tidied, or InvalidInput naming the box that needs a change."""
    return ProjectDetails(
        title=clean_line(details.title, limit="project_title", field="project_title",
                         label=_("Project title")),
        purpose=clean_line(details.purpose, limit="project_purpose", field="purpose",
                           label=_("What the project is for"), required=False),
        population_need=clean_line(details.population_need, limit="population_need",
                                   field="population_need",
                                   label=_("The need it serves"), required=False),
        target_per_group=clean_target(details.target_per_group),
    )


def clean_target(value) -> int | None:
    """People hoped for from each group, or None when the facilitator leaves it empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= TARGET_MOST:
        raise InvalidInput(_("Please give a number of people from 1 to %(most)s, or leave it "
                             "empty.", most=TARGET_MOST), field="target_per_group")
    return value


def is_overdue(due_on: date, done_on: date | None, today: date) -> bool:
    """Whether a milestone is past its date and not yet done."""
    return done_on is None and due_on < today
