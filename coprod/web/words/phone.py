"""The words of the phone page's script (see coprod/web/words/__init__.py)."""

from ...domain.i18n import _, ngettext

WORDS = {
    "accessEnded": _("This page has stopped. Please speak to the facilitator if you need help."),
    "agreeHelp": _("For each idea, say if you agree, are not sure, or disagree."),
    # Translators: %(most)s is the most dots one idea can take.
    "dotsHelp": ngettext("You have %(count)s dot. Put up to %(most)s on any idea you support.",
                         "You have %(count)s dots. Put up to %(most)s on any idea you support."),
    # Translators: the hidden heading of the three answers (agree, not sure, disagree) to one idea.
    "viewOn": _("Your view on: %(text)s"),
    # Translators: a screen reader's name for the + button beside an idea.
    "addDot": _("Add a dot to: %(text)s"),
    # Translators: a screen reader's name for the - button beside an idea.
    "takeDot": _("Take a dot off: %(text)s"),
    "dots": ngettext("%(count)s dot", "%(count)s dots"),
    # Translators: how far through an agree vote the person is, e.g. "6 of 9 answered".
    "answered": _("%(done)s of %(all)s answered"),
    "dotsLeft": _("Dots left: %(left)s of %(budget)s"),
    "notSentCount": ngettext("%(count)s answer is not sent yet. We will try again.",
                             "%(count)s answers are not sent yet. We will try again."),
    "sending": _("Sending…"),
    # Translators: beside a vote the server has stored.
    "saved": _("Saved"),
    "notSent": _("Not sent yet. We will try again."),
    "resultsShown": _("The results are here. Scroll down to see what the room thinks."),
    # Translators: beside an idea this person added.
    "yours": _("Yours"),
    "yoursPending": _("Yours. Waiting for the facilitator to put it on the screen."),
    # Translators: %(reason)s is the facilitator's own words.
    "yoursHidden": _("Yours. The facilitator set it aside: %(reason)s"),
    "thanksPending": _("Thank you. Your idea will go on the screen when the facilitator "
                       "approves it."),
    "thanksShown": _("Thank you. Your idea is on the screen."),
    "writeFirst": _("Please write your idea first."),
    "chooseKind": _("Please choose whether it is something the role does or needs."),
    "sendingIdea": _("Sending your idea…"),
    "charactersLeft": ngettext("You have %(count)s character left.",
                               "You have %(count)s characters left."),
    "charactersOver": ngettext("That is %(count)s character too many.",
                               "That is %(count)s characters too many."),
}
