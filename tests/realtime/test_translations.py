"""The live room in Welsh and English: each socket is answered in its own language, ideas keep
the language they were typed in (a facilitator can add the other wording), and what goes to a
whole room carries keys and typed content, never a sentence of coprod's own."""

import json
import re

from coprod import catalogue
from coprod.domain.i18n import _
from coprod.extensions import db
from coprod.language import in_language
from coprod.models import AuditEvent, Card

from ..conftest import csrf_token
from ..factories import group_id, make_user, make_workshop, set_phase
from ..web.test_auth_pages import sign_in
from .conftest import inbox, pick, received
from .test_live_cards import add

NO_VOTE = _("Voting is not open just now. The facilitator will say when.")
STAFF_ONLY = _("Only the facilitator can do that.")


def welsh(http):
    """The browser chose Cymraeg (the cookie a `?lang=cy` link sets)."""
    http.get("/?lang=cy")
    return http


def welsh_phone(room, group="Carer"):
    """A phone that joined in Welsh (as Room.phone does in English)."""
    http = welsh(room.http())
    token = csrf_token(http, f"/j/{room.code}")
    http.post(f"/j/{room.code}", data={"csrf_token": token, "consent": "y",
                                       "constituency": group_id(room.workshop_id, group)})
    return room.connect(http, "phone")


def welsh_console(room):
    http = welsh(room.http())
    sign_in(http, room.owner.email)
    return room.connect(http, "console")


def read(message, language: str) -> str:
    with in_language(language):
        return str(message)


def audited(action: str) -> list[dict]:
    return [json.loads(event.payload) for event in
            db.session.query(AuditEvent).filter_by(action=action).order_by(AuditEvent.seq)]


def test_a_welsh_socket_is_answered_in_welsh_and_an_english_one_in_english(room):
    cymraeg, english = welsh_phone(room), room.phone()
    for phone, language in ((cymraeg, "cy"), (english, "en")):
        refused = phone.emit("card:edit", {"card_id": 1, "text": "Rhywbeth"}, callback=True)
        assert refused["error"]["message"] == read(STAFF_ONLY, language)
        # A vote goes by the fast path (answered after a shared commit): in their language too.
        vote = phone.emit("vote:set", {"cid": "cid-vote-00001", "round_id": 1, "card_id": 1,
                                       "value": "agree"}, callback=True)
        assert vote["error"]["message"] == read(NO_VOTE, language)
    assert read(STAFF_ONLY, "cy") != read(STAFF_ONLY, "en")  # the Welsh is really there


def test_a_welsh_console_gets_its_state_in_welsh(room):
    console = welsh_console(room)
    state = console.emit("sync", {}, callback=True)["state"]
    phases = {phase["value"]: phase["label"] for phase in state["phases"]}
    assert phases["contribute"] == read(_("Add ideas"), "cy") != "Add ideas"


def test_an_idea_keeps_the_language_it_was_typed_in(room):
    cymraeg, english = welsh_phone(room), room.phone()
    in_welsh = add(cymraeg, text="Yn helpu pobl i ddod o hyd i gymorth lleol", cid="cid-cymraeg-1")
    in_english = add(english, text="Helps people find local support", cid="cid-english-1")
    assert in_welsh["card"]["language"] == "cy" and in_english["card"]["language"] == "en"
    assert {card.text: card.language for card in db.session.query(Card)} == {
        "Yn helpu pobl i ddod o hyd i gymorth lleol": "cy", "Helps people find local support": "en"}
    assert [event["language"] for event in audited("card.added")] == ["cy", "en"]


def test_a_facilitator_adds_the_other_wording_and_every_screen_shows_it(room, notifier):
    phone, projector = welsh_phone(room), room.staff("projector")
    console = room.staff()
    card_id = add(phone, text="Yn gwrando heb farnu", cid="cid-cymraeg-2")["card"]["id"]
    room.quiet()

    ack = console.emit("card:translate", {"card_id": card_id, "text": "Listens without judging"},
                       callback=True)

    assert ack["ok"] and ack["card"]["translation"] == "Listens without judging"
    card = db.session.get(Card, card_id)
    db.session.refresh(card)
    assert (card.text, card.language, card.translation, card.translated_by_user_id) == (
        "Yn gwrando heb farnu", "cy", "Listens without judging", room.owner.id)
    assert audited("card.translated") == [{"card_id": card_id, "language": "en",
                                           "text": "Listens without judging",
                                           "by_user_id": room.owner.id}]
    notifier.flush(force_phones=True)
    for screen in (phone, projector):
        changed = [event["data"] for event in received(screen) if event["name"] == "card.changed"]
        assert [(c["text"], c["translation"]) for c in changed] == [
            ("Yn gwrando heb farnu", "Listens without judging")]

    cleared = console.emit("card:translate", {"card_id": card_id, "text": "  "}, callback=True)
    assert cleared["ok"] and cleared["card"]["translation"] is None
    assert audited("card.translated")[-1]["text"] is None


def test_only_a_facilitator_of_this_workshop_can_add_a_wording(room):
    phone = room.phone()
    card_id = add(phone, text="Helps people find local support", cid="cid-english-2")["card"]["id"]
    refused = phone.emit("card:translate", {"card_id": card_id, "text": "Yn helpu pobl"},
                         callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"

    stranger = make_user()
    other = make_workshop(stranger)
    set_phase(stranger, other, "contribute")
    http = room.http()
    sign_in(http, stranger.email)
    their_console = room.connect(http, "console", other)
    not_theirs = their_console.emit("card:translate", {"card_id": card_id, "text": "Yn helpu"},
                                    callback=True)
    assert not_theirs["ok"] is False and not_theirs["error"]["code"] == "not_found"

    console = room.staff()
    too_long = console.emit("card:translate", {"card_id": card_id, "text": "a" * 281},
                            callback=True)
    assert too_long["ok"] is False and too_long["error"]["field"] == "text"
    assert db.session.get(Card, card_id).translation is None
    assert audited("card.translated") == []


# A key or code ("responsibility", "signed_out"): the page has its words.
CODE = re.compile(r"^[a-z_]+$")
# Typed content and names: what people wrote, not coprod's sentences.
CONTENT = {"text", "translation", "title", "name", "venue", "pseudonym", "nickname",
           "constituency", "hidden_reason", "author", "held_on"}


def sentences_in(value, key=None) -> set[str]:
    """Every text in a payload that is one of coprod's own messages (in either language)."""
    if isinstance(value, dict):
        return set().union(set(), *(sentences_in(item, name) for name, item in value.items()))
    if isinstance(value, list):
        return set().union(set(), *(sentences_in(item, key) for item in value))
    if isinstance(value, str) and key not in CONTENT and not CODE.match(value) and value in KNOWN_WORDS:
        return {value}
    return set()


def _known_words() -> set[str]:
    words = set()
    for message in catalogue.read("cy"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        words.update(text for text in (*ids, *strings) if text and len(text) > 3)
    return words


KNOWN_WORDS = _known_words()


def test_what_goes_to_a_room_carries_no_sentence(room, notifier):
    phone, projector, console = welsh_phone(room), room.staff("projector"), room.staff()
    room.quiet()
    card_id = add(phone, text="Yn gwrando heb farnu", cid="cid-cymraeg-3")["card"]["id"]
    console.emit("card:translate", {"card_id": card_id, "text": "Listens without judging"},
                 callback=True)
    console.emit("countdown:set", {"minutes": 5}, callback=True)
    for phase in ("review", "vote"):
        console.emit("phase:set", {"phase": phase}, callback=True)
    round_id = console.emit("round:open", {"mode": "agree"}, callback=True)["round"]["id"]
    phone.emit("vote:set", {"cid": "cid-vote-00002", "round_id": round_id, "card_id": card_id,
                            "value": "agree"}, callback=True)
    console.emit("round:close", {"round_id": round_id}, callback=True)
    console.emit("round:reveal", {"round_id": round_id}, callback=True)
    notifier.flush(force_phones=True)
    person = db.session.get(Card, card_id).participant_id
    console.emit("participant:remove", {"participant_id": person}, callback=True)

    # The phone was closed: what it heard stays in its queue.
    heard = {"phone": list(phone.queue), "projector": inbox(projector), "console": inbox(console)}
    names = {message["name"] for messages in heard.values() for message in messages}
    assert {"events", "access_ended"} <= names
    events = [event["name"] for event in pick(heard["projector"])]
    assert {"card.changed", "phase.changed", "round.opened", "round.closed",
            "results.revealed"} <= set(events)
    for screen, messages in heard.items():
        found = sentences_in([message["args"] for message in messages])
        assert found == set(), (screen, found)
    ended = [message["args"][0] for message in heard["phone"] if message["name"] == "access_ended"]
    assert ended == [{"reason": "removed"}]
