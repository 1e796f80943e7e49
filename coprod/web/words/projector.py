"""The words of the projector page's script (see coprod/web/words/__init__.py).

The wall can show Welsh and English at once (the workshop's "bilingual wall"): the page then gets
these in both languages too, and the template's own headings are here as well, so the script
can write each one in both.
"""

from ...domain.i18n import _, ngettext
from ...domain.labels import RESULTS_SUMMARY_LABELS

WORDS = {
    "accessEnded": _("This screen has been closed. Please reload the page or sign in again."),
    "page": _("Page %(page)s of %(pages)s"),
    # Translators: the wall's pages are held still by the facilitator.
    "held": _("Held"),
    # Translators: the wall's connection is working.
    "live": _("Live"),
    "ideas": _("Ideas"),
    "voteNow": _("Vote on your phone now"),
    "voteClosed": _("Voting has closed. The results will be shown soon."),
    # Translators: how many people of a group have voted, e.g. "Carers: 4 voted".
    "voted": _("%(group)s: %(voted)s voted"),
    # Translators: e.g. "Carers: 4 of 6 voted".
    "votedOf": _("%(group)s: %(voted)s of %(joined)s voted"),
    "nobodyYet": _("Nobody has voted yet."),
    "resultsTitle": _("What each group thinks"),
    "resultsSoon": _("The results will be shown here soon."),
    "closed": _("This workshop has finished. Thank you for taking part."),
    "status": _("Status"),
    "idea": _("Idea"),
    # Translators: supporters of an idea in one group, e.g. "4 of 6".
    "supporters": _("%(supporters)s of %(voters)s"),
    "tooFew": _("too few to count"),
    # Translators: %(agreed)s and %(divisive)s are the names of two results; %(threshold)s is a
    # percentage such as "60%".
    "rule": _("%(agreed)s: at least %(threshold)s support in every group with %(min)s or more "
              "voters. %(divisive)s: groups %(gap)s or more points apart."),
    "ideaCount": ngettext("%(count)s idea", "%(count)s ideas"),
    "outlineTitle": _("%(title)s: role outline"),
    "outlineAgreed": _("Version %(number)s: agreed"),
    "outlineDraft": _("Version %(number)s: draft, being built now"),
    "nothingYet": _("Nothing yet"),
    "howToJoin": _("How to join"),
    "joinWithCode": _("Join on your phone with the code"),
    "qrCode": _("QR code to join this workshop"),
    "roomLocked": _("Everyone is in. This workshop is not taking new people just now."),
    "peopleHere": _("People here"),
    # Translators: people who joined from one group against the project's target: "7 of 10".
    "countOfTarget": _("%(count)s of %(target)s"),
    **{f"summary_{status.value}": words for status, words in RESULTS_SUMMARY_LABELS.items()},
}
