// The live connection every coprod page shares: it connects over WebSocket, asks for the current
// state after every (re)connect, applies batched room events in sequence order (asking for a
// fresh state when one was missed), and keeps unacknowledged actions in localStorage so they
// are sent again after a reload, a lost signal or an answer that never came. The server
// recognises a resent action by its id, so nothing is lost and nothing counts twice.

const ACK_TIMEOUT_MS = 10000;
// After an unanswered action: wait 1 s, then 2, 4 … up to 30 s before sending it again.
const RETRY_FIRST_MS = 1000;
const RETRY_MOST_MS = 30000;
// An action with no answer after this long is reported as slow (onSlow), even while the socket
// still looks open: a Wi-Fi that died quietly can look connected for ten seconds or more.
const SLOW_MS = 3000;

function newClientId() {
  // crypto.randomUUID needs a secure context; phones on a venue's Wi-Fi often use plain http.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Live {
  constructor({ workshop, view, onState, onEvent, onStatus, onAck, onSlow, accessEnded }) {
    this.workshop = workshop;
    this.view = view;
    // The room sends keys, not words (one broadcast reaches Welsh and English screens): the
    // phase's words are added here, in this page's language, before the page sees them.
    this.onState = (state) => onState(withPhaseWords(state, true));
    this.onEvent = (name, data) => onEvent(name, name === "phase.changed" ? withPhaseWords(data) : data);
    this.ended = false; // the server ended this screen's access: its reason stays on screen
    this.onStatus = (status, message) => { if (!this.ended && onStatus) onStatus(status, message); };
    this.accessEnded = accessEnded; // the page's sentence, should the reason have none of its own
    this.onAck = onAck || (() => {});
    this.onSlow = onSlow || (() => {});
    this.slowTimers = new Map(); // client id -> timer that reports the action as slow
    this.seq = null;
    this.inFlight = new Map(); // client id -> the copy awaiting its answer (one at a time)
    this.retries = new Map(); // client id -> timer that will send it again
    this.outboxKey = `coprod.outbox.${view}.${workshop}`;
    this.socket = window.io({
      auth: { workshop, view },
      transports: ["websocket", "polling"],
      tryAllTransports: true,
    });
    this.socket.on("connect", () => this.resync());
    this.socket.on("disconnect", () => {
      // Everything still unanswered goes again, once, when the connection is back.
      this.inFlight.clear();
      for (const timer of this.retries.values()) clearTimeout(timer);
      this.retries.clear();
      this.onStatus("reconnecting");
    });
    this.socket.on("connect_error", (error) => {
      const refused = error && error.data && error.data.message;
      this.onStatus(refused ? "refused" : "reconnecting", refused || null);
    });
    this.socket.on("events", (batch) => this.receive(batch.events));
    // Coalesced latest-state messages (not sequenced: each one replaces the one before).
    for (const name of ["counts", "tally", "progress", "results", "joining"]) {
      this.socket.on(name, (data) => this.onEvent(name, data));
    }
    // When access ends (signed out, unshared, switched off, taken out) the server says why
    // (a key), then closes the connection: the reason stays and the page does not reconnect.
    for (const notice of ["signed_out", "access_ended"]) {
      this.socket.on(notice, (data) => this.end(data && data.reason));
    }
  }

  // The page's words for why access ended (`reason`, a key the server sent).
  end(reason) {
    const own = reason && typeof WORDS[`ended_${reason}`] === "string" ? say(`ended_${reason}`) : "";
    this.onStatus("refused", own || this.accessEnded || say("ended"));
    this.ended = true;
    this.socket.io.reconnection(false);
  }

  resync() {
    this.socket.timeout(ACK_TIMEOUT_MS).emit("sync", this.seq === null ? {} : { last_seq: this.seq }, (err, reply) => {
      if (err || !reply || !reply.ok) {
        this.onStatus("reconnecting");
        setTimeout(() => this.socket.connected && this.resync(), 2000);
        return;
      }
      if (reply.state) {
        this.seq = reply.state.seq;
        this.onState(reply.state);
      } else if (reply.mine) {
        // Nothing missed in the room, but the person's own state (votes from another tab,
        // their waiting ideas) has no sequence number, so it always comes fresh.
        this.onEvent("mine", reply.mine);
      }
      this.onStatus("live");
      this.flushOutbox();
    });
  }

  receive(events) {
    for (const event of events) {
      if (event.seq !== null && event.seq !== undefined) {
        if (this.seq !== null && event.seq <= this.seq) continue; // already applied
        if (this.seq !== null && event.seq > this.seq + 1) {
          this.resync(); // we missed something: the fresh state includes this event too
          return;
        }
        this.seq = event.seq;
      }
      this.onEvent(event.name, event.data);
    }
  }

  // Actions that must not be lost: kept until the server acknowledges them.
  send(name, payload) {
    const action = { name, payload: { ...payload, cid: payload.cid || newClientId() } };
    this.saveOutbox([...this.loadOutbox(), action]);
    this.watch(action);
    this.transmit(action);
    return action.payload.cid;
  }

  // Facilitator actions: sent once, and the answer (or a connection problem) is reported.
  request(name, payload) {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({ ok: false, error: { message: say("notConnected") } });
        return;
      }
      this.socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, (err, reply) => {
        resolve(err ? { ok: false, error: { message: say("noAnswer") } } : reply);
      });
    });
  }

  transmit(action, attempt = 0) {
    const cid = action.payload.cid;
    if (!this.socket.connected || this.inFlight.has(cid) || this.retries.has(cid)) return;
    const copy = {};
    this.inFlight.set(cid, copy);
    this.socket.timeout(ACK_TIMEOUT_MS).emit(action.name, action.payload, (err, reply) => {
      if (this.inFlight.get(cid) !== copy) return; // a copy sent after reconnecting owns it now
      this.inFlight.delete(cid);
      if (err) {
        this.retryLater(action, attempt + 1);
        return;
      }
      this.saveOutbox(this.loadOutbox().filter((item) => item.payload.cid !== cid));
      clearTimeout(this.slowTimers.get(cid));
      this.slowTimers.delete(cid);
      this.onAck(action, reply);
    });
  }

  // No answer in time, but still connected: the server may just be slow, or the answer was
  // lost. Send the same action (same id) again after a growing pause; the server recognises
  // the id, so a late first copy never counts twice.
  retryLater(action, attempt) {
    const cid = action.payload.cid;
    if (!this.socket.connected || this.retries.has(cid)) return;
    const pause = Math.min(RETRY_MOST_MS, RETRY_FIRST_MS * 2 ** (attempt - 1));
    this.retries.set(cid, setTimeout(() => {
      this.retries.delete(cid);
      const stillWaiting = this.loadOutbox().some((item) => item.payload.cid === cid);
      if (stillWaiting) this.transmit(action, attempt);
    }, pause));
  }

  flushOutbox() {
    for (const action of this.loadOutbox()) {
      this.watch(action);
      this.transmit(action);
    }
  }

  // Report the action through onSlow if no answer has come SLOW_MS after it was first sent
  // (it keeps being retried as before; onAck follows when the answer comes).
  watch(action) {
    const cid = action.payload.cid;
    if (this.slowTimers.has(cid)) return;
    this.slowTimers.set(cid, setTimeout(() => {
      const stillWaiting = this.loadOutbox().some((item) => item.payload.cid === cid);
      if (stillWaiting) this.onSlow(action);
    }, SLOW_MS));
  }

  pending() {
    return this.loadOutbox();
  }

  loadOutbox() {
    try {
      return JSON.parse(localStorage.getItem(this.outboxKey) || "[]");
    } catch {
      return [];
    }
  }

  saveOutbox(items) {
    try {
      localStorage.setItem(this.outboxKey, JSON.stringify(items));
    } catch {
      // Private browsing can refuse storage; actions still go, they just do not survive a reload.
    }
  }
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// The words for fixed values (idea kinds, consensus, sections, moderation states...), sent by
// the server with the page (coprod/domain/labels.py is their one home), so none is written here.
export const LABELS = JSON.parse(document.getElementById("labels").textContent);

// The sentences this page's script writes, in the reader's language (coprod/web/words/).
const WORDS = JSON.parse(document.getElementById("words")?.textContent || "{}");
const PLURALS = new Intl.PluralRules(document.documentElement.lang || "en");
// A screen showing Welsh and English at once (the bilingual wall) also gets both languages'
// words and labels: {cy: {words, labels}, en: {...}}.
const BOTH = JSON.parse(document.getElementById("both-languages")?.textContent || "null");
export const LABELS_IN = BOTH ? { cy: BOTH.cy.labels, en: BOTH.en.labels } : null;
const PLURALS_IN = { cy: new Intl.PluralRules("cy"), en: new Intl.PluralRules("en") };

// The sentence `key` with its %(name)s places filled from `values`. A sentence that depends
// on a number has one wording per plural category (Welsh has six): `values.count` chooses.
export function say(key, values = {}) {
  return fill(WORDS[key], PLURALS, key, values);
}

// The sentence `key` in `lang` ("cy" or "en"), on a screen that has both languages.
export function sayIn(lang, key, values = {}) {
  return fill(BOTH ? BOTH[lang].words[key] : undefined, PLURALS_IN[lang], key, values);
}

function fill(pattern, plurals, key, values) {
  let chosen = pattern;
  if (chosen && typeof chosen === "object") chosen = chosen[plurals.select(values.count)] ?? chosen.other;
  if (typeof chosen !== "string") {
    console.error(`coprod: no words for "${key}"`); // tests/test_catalogue.py checks every key
    return "";
  }
  return chosen.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export function statusText(status, message) {
  if (status === "live") return say("connected");
  if (status === "refused") return message || say("couldNotConnect");
  return say("connecting");
}

// The `lang` attribute of text in "cy" or "en" (an idea, its translation).
export const LANG_ATTRIBUTE = { cy: "cy", en: "en-GB" };

// The other of coprod's two languages: the one an idea was not typed in.
export function otherLanguage(language) {
  return language === "cy" ? "en" : "cy";
}

// A phase's name, in this page's language (or in `lang`, on a screen showing both).
export function phaseLabel(phase, lang = null) {
  return phase ? (lang ? sayIn(lang, `phase_${phase}`) : say(`phase_${phase}`)) : "";
}

// What a phone says in `phase`; in the vote phase it follows the newest vote (open, closed).
export function phoneMessage(phase, round) {
  if (!phase) return "";
  if (phase === "vote" && round && ["open", "closed"].includes(round.state)) return say(`vote_${round.state}`);
  return say(`phone_${phase}`);
}

// The workshop in a state or a phase change, with its phase's words for this page (the room
// sends only the phase): `phase_label` and `phone_message`, and a whole state's `vote_messages`.
function withPhaseWords(data, whole = false) {
  if (!data || !data.workshop) return data;
  const phase = data.workshop.phase;
  const workshop = { ...data.workshop, phase_label: phaseLabel(phase), phone_message: phoneMessage(phase, null) };
  const voteMessages = whole ? { vote_messages: { open: say("vote_open"), closed: say("vote_closed") } } : {};
  return { ...data, workshop, ...voteMessages };
}

// Redraw a page without taking the cursor away from someone typing or tabbing through it:
// the element that had focus (found again by its id) gets it back, with its selection.
export function redraw(draw) {
  const active = document.activeElement;
  const focused = active && active.id;
  const selection = focused && "selectionStart" in active && active.selectionStart !== null
    ? [active.selectionStart, active.selectionEnd] : null;
  draw();
  const again = focused && document.getElementById(focused);
  if (again && again !== document.activeElement) {
    again.focus();
    if (selection) again.setSelectionRange(...selection);
  }
}

export function shortText(text) {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

// Tallies are coalesced and carry no sequence number, so one counted just before a vote closed
// can arrive after `round.closed`: the round a screen shows never goes back to an earlier state.
export function laterRound(current, incoming) {
  if (!current || !incoming) return incoming || current;
  if (incoming.id !== current.id) return incoming.id > current.id ? incoming : current;
  const reopened = current.state === "closed" && incoming.state === "open";
  const hiddenAgain = current.revealed && !incoming.revealed;
  return reopened || hiddenAgain ? current : incoming;
}

// Where an idea came from, as short tags: the earlier session it was carried from and its result
// there ("From session 1 · Agreed by every group"), and the evidence item a seed idea came from.
// `speak` and `labels` are the page's (or one language's, on a screen showing both).
export function originTags(card, speak = say, labels = LABELS) {
  const tags = [];
  if (card.from_session) {
    tags.push(card.earlier_result
      ? speak("fromSessionResult", { number: card.from_session, result: labels.consensus[card.earlier_result] })
      : speak("fromSession", { number: card.from_session }));
  }
  if (card.evidence) tags.push(speak("fromEvidence", { title: card.evidence }));
  return tags;
}

// A card's role as people read it: the role's title, or the label for a card aimed at no role.
export function titleOfRole(roles, roleId) {
  const role = roles.find((item) => item.id === roleId);
  return role ? role.title : LABELS.any_role.label;
}

// Put `item` into `list` by id (updating the one there); true when it is new.
export function upsert(list, item) {
  const existing = list.find((entry) => entry.id === item.id);
  if (existing) {
    Object.assign(existing, item);
    return false;
  }
  list.push(item);
  return true;
}

// The roles after a role was added, renamed or retired.
export function withRole(roles, role) {
  return [...roles.filter((entry) => entry.id !== role.id), ...(role.retired ? [] : [role])];
}
