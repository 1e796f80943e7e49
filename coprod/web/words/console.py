"""The words of the console page's script (see coprod/web/words/__init__.py)."""

from ...domain.i18n import _, ngettext
from ...domain.voting import MODE_LABELS

WORDS = {
    "pseudonym": _("Participant %(number)s"),
    "actions": _("Actions"),
    # Translators: the name a screen reader gives an idea's Actions button; %(idea)s is the idea.
    "actionsFor": _("Actions for: %(idea)s"),
    "editWording": _("Edit wording"),
    "editWordingFor": _("Edit wording: %(idea)s"),
    "wordingLabel": _("New wording (the earlier wording is kept)"),
    "saveWording": _("Save wording"),
    # The idea's wording in the other language: %(idea)s is the idea as it was typed.
    "wordingIn_cy": _("Welsh wording"),
    "wordingIn_en": _("English wording"),
    "wordingInFor_cy": _("Welsh wording: %(idea)s"),
    "wordingInFor_en": _("English wording: %(idea)s"),
    "translationHint": _("Shown beside the idea on the wall and the phones. Leave it empty to "
                         "take it away."),
    "saveTranslation": _("Save this wording"),
    "typedIn_cy": _("typed in Welsh"),
    "typedIn_en": _("typed in English"),
    "hide": _("Hide"),
    "hideFor": _("Hide: %(idea)s"),
    "reasonLabel": _("Reason for hiding (the author sees it)"),
    "hideSubmit": _("Hide from the screen"),
    "approve": _("Approve"),
    "approveFor": _("Approve: %(idea)s"),
    "putBack": _("Put back on the screen"),
    "putBackFor": _("Put back on the screen: %(idea)s"),
    "cancel": _("Cancel"),
    "limit": ngettext("Up to %(count)s character.", "Up to %(count)s characters."),
    "mergeInto": _("Merge into"),
    "chooseIdea": _("Choose an idea"),
    "merge": _("Merge"),
    "mergeFor": _("Merge: %(idea)s"),
    "chooseFirst": _("Choose the idea to merge this one into."),
    "mergeQuestion": _('Merge "%(source)s" into "%(target)s"? Votes already cast for '
                       '"%(source)s" will count for "%(target)s".'),
    "yesMerge": _("Yes, merge"),
    "merged": _('Merged into "%(target)s". You can undo it from that idea\'s actions.'),
    "mergedIn": _('Merged in: "%(idea)s"'),
    # Translators: %(group)s is the group of the person who proposed the idea.
    "mergedInFrom": _('Merged in: "%(idea)s" (%(group)s)'),
    "undoMerge": _("Undo merge"),
    "undoMergeFor": _("Undo merge: %(idea)s"),
    "unmerged": _('"%(idea)s" is on its own again.'),
    "reason": _("Reason: %(reason)s"),
    "byHelper": _("entered by helper"),
    "facilitator": _("Facilitator"),
    "addedBy": _("Added by %(who)s"),
    # Translators: how many times an idea's wording was changed, e.g. "edited (2×)".
    "edited": _("edited (%(count)s×)"),
    # Translators: a button that moves the workshop back to the phase named.
    "backTo": _("Back to %(phase)s"),
    # Translators: a button that moves the workshop on to the phase named.
    "nextPhase": _("Next: %(phase)s"),
    "movedTo": _("Moved to %(phase)s."),
    "wall_previous": _("The wall went back a page."),
    "wall_next": _("The wall turned to its next page."),
    "wall_hold": _("The wall's pages are held. They stay still until you press Play pages."),
    "wall_play": _("The wall turns its pages again."),
    "countdownStarted": ngettext("Countdown started: %(count)s minute.",
                                 "Countdown started: %(count)s minutes."),
    "countdownStopped": _("Countdown stopped."),
    "removeName": _("Remove name"),
    "removeNameOf": _("Remove name of %(who)s"),
    "takeOut": _("Take out"),
    "takeOutOf": _("Take out %(who)s"),
    "takeOutQuestion": _("Take %(who)s out of this workshop? Their screen closes and their link "
                         "stops working. Ideas and votes they already gave stay."),
    "yesTakeOut": _("Yes, take them out"),
    "takenOut": _("taken out"),
    "accessEnded": _("This screen has been closed. Please reload the page or sign in again."),
    "onPaper": _("on paper"),
    "voteOpened": _("The vote is open. Phones show it now."),
    # Translators: %(mode)s is how people vote, e.g. "Dot voting".
    "voteOpen": _("Vote %(number)s is open: %(mode)s."),
    "closeVote": _("Close the vote"),
    "voteClosed": _("The vote is closed."),
    "notShownYet": _("Vote %(number)s is closed. The results are not on the screen yet."),
    "showResults": _("Show the results"),
    "resultsShown": _("The results are on the screen and phones."),
    "openVoteHeading": _("Open a vote"),
    "moveToVote": _("Move to the Vote phase to open a vote."),
    "noVotes": _("No votes yet."),
    "tallyCaption": _("Support within each group (vote %(number)s)"),
    # Translators: one group's support for an idea, e.g. "67% (4/6)".
    "tallyCell": _("%(share)s (%(supporters)s/%(voters)s)"),
    # Translators: as above, and how many of those votes a helper entered from paper.
    "tallyCellHelped": _("%(share)s (%(supporters)s/%(voters)s), %(helped)s by helper"),
    "idea": _("Idea"),
    "status": _("Status"),
    "budget": _("Dots each person has"),
    "mostPerIdea": _("Most dots on one idea"),
    "howPeopleVote": _("How people vote"),
    **{f"mode_{mode.value}": label for mode, label in MODE_LABELS.items()},
    "whichIdeas": _("Which ideas"),
    "everyIdea": _("Every idea on the screen"),
    "onlyFor": _("Only ideas for %(role)s"),
    "keepHidden": _("Keep results off the screen until I show them"),
    "openVote": _("Open the vote"),
    "lockRoom": _("Lock the room"),
    "openRoom": _("Open the room to new people"),
    "roomOpen": _("The room is open: anyone with the code can join."),
    "roomLocked": _("The room is locked: new people cannot join."),
    "lockedNow": _("The room is locked. The screen no longer shows the code."),
    "openNow": _("The room is open to new people again. The screen shows the code."),
    "lastMinute": ngettext("%(count)s person joined in the last minute.",
                           "%(count)s people joined in the last minute."),
    "here": _("%(total)s here."),
    "hereOfExpected": _("%(total)s here, of %(expected)s expected."),
    # The server decides which warnings hold (coprod/domain/joining.py); these say them.
    "warning_burst": _("%(busiest)s people joined within one minute. A room does not join that "
                       "fast: someone may be joining many times over. You could lock the room "
                       "and count who is here."),
    "warning_over_expected": _("More people have joined (%(total)s) than you expected "
                               "(%(expected)s). If everyone is in, you could lock the room."),
    # Translators: joins from one group against the project's target: "Carers: 7 of 10".
    "groupOfTarget": _("%(name)s: %(count)s of %(target)s"),
}
