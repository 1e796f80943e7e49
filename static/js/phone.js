// The participant's phone: follows the phase, adds ideas and votes (kept until the server has
// them), shows the ideas on the screen and, once revealed, the results. Kept small for cheap
// phones on a weak signal.
//
// Lists are drawn once and then updated in place (see syncList), never rebuilt: a rebuilt list
// takes focus away from a keyboard, switch or screen-reader user after every answer and every
// live update, and the next Tab starts again at the first idea.
import { Countdown, groupSummary } from "./countdown.js";
// Every sentence this page writes comes from the server in the reader's language
// (coprod/web/words/phone.py), through say().
import { LABELS, LANG_ATTRIBUTE, Live, el, originTags, otherLanguage, say, shortText, statusText, titleOfRole, upsert, withRole } from "./live.js";

// Screen readers hear the character count only this close to the limit, once typing pauses.
const NEAR_LIMIT = 20;
const COUNT_PAUSE_MS = 1000;

const root = document.getElementById("phone");
const workshopId = Number(root.dataset.workshop);
const draftKey = `coprod.draft.${workshopId}`;
const form = document.getElementById("add-card");
const textBox = document.getElementById("card-text");
const counter = document.getElementById("card-text-count");
const counterAlert = document.getElementById("card-text-alert");
const feedback = document.getElementById("add-feedback");
const voteFeedback = document.getElementById("vote-feedback");
const roleSelect = document.getElementById("card-role");
const maxLength = Number(textBox.getAttribute("maxlength"));
const countdown = new Countdown(document.getElementById("countdown"));
const returnCode = document.getElementById("return-code");
let returnCodeOffered = !returnCode || returnCode.open; // see offerReturnCode()

let state = { cards: [], roles: [], workshop: {}, round: null, my_votes: null, results: null };
let wanted = {}; // card id -> vote waiting for the server's answer (shown straight away)
let saved = new Set(); // card ids whose latest answer the server confirmed on this page
const slow = new Set(); // client ids of actions that waited too long for an answer
const drawn = { vote: new Map(), results: new Map(), cards: new Map() }; // key -> drawn item
let rolesDrawn = null;
let announcing = false; // false until the first state: the page itself says where things are
let lastMessage = null;
const announcedResults = new Set();

const live = new Live({
  workshop: workshopId,
  view: "phone",
  accessEnded: say("accessEnded"),
  onState: (fresh) => {
    state = fresh;
    countdown.set(fresh.countdown);
    render();
    announcing = true;
  },
  onEvent: (name, data) => applyEvent(name, data),
  onStatus: (status, message) => {
    const node = document.getElementById("connection");
    setText(node, statusText(status, message));
    node.dataset.status = status;
  },
  onAck: (action, reply) => acknowledged(action, reply),
  onSlow: (action) => {
    slow.add(action.payload.cid);
    render();
  },
});

function applyEvent(name, data) {
  if (name === "card.added" || name === "card.changed" || name === "card.mine") upsertCard(data);
  else if (name === "card.removed") state.cards = state.cards.filter((card) => card.id !== data.id || card.mine && !data.merged_into);
  else if (name === "phase.changed") { state.workshop = { ...state.workshop, ...data.workshop }; countdown.set(null); }
  else if (name === "role.changed") state.roles = withRole(state.roles, data);
  else if (name === "workshop.changed" && data.title) state.workshop.title = data.title;
  else if (name === "round.opened") { state.round = data.round; state.my_votes = null; state.results = null; wanted = {}; saved = new Set(); }
  else if (name === "round.closed") state.round = data.round;
  else if (name === "results.revealed") state.results = data.results;
  else if (name === "results") state.results = data.results; // recounted, e.g. a new threshold
  else if (name === "votes.mine") state.my_votes = data;
  else if (name === "mine") applyOwnState(data);
  else if (name === "countdown.set") countdown.set(data);
  render();
}

function upsertCard(card) {
  upsert(state.cards, card);
}

// After reconnecting with nothing missed in the room: this person's own ideas and votes, which
// may have changed on their other tab or at the facilitator's console meanwhile.
function applyOwnState(mine) {
  for (const card of mine.cards) upsertCard(card);
  state.my_votes = mine.my_votes;
}

function render() {
  const focusedBefore = document.activeElement;
  setText(document.getElementById("phase-label"), state.workshop.phase_label || "");
  setText(document.getElementById("phase-message"), phoneMessage());
  form.hidden = state.workshop.phase !== "contribute";
  renderRoles();
  renderVote();
  renderResults();
  renderCards();
  offerReturnCode();
  announceChanges();
  keepPlace(focusedBefore);
}

// At the end of a session the return code section opens by itself, once: it never takes focus,
// and once open (drawn open, or opened here) it stays as the person leaves it.
function offerReturnCode() {
  if (returnCodeOffered || !["build", "closed"].includes(state.workshop.phase)) return;
  returnCodeOffered = true;
  returnCode.open = true;
}

// When what had focus went away (the phase hid the form, a new vote replaced the last one's
// answers), focus goes to the phase heading, so the next Tab starts at the new content instead
// of the top of the page or past it.
function keepPlace(focusedBefore) {
  if (!focusedBefore || focusedBefore === document.body) return;
  if (!focusedBefore.isConnected || focusedBefore.closest("[hidden]")) {
    document.getElementById("phase-heading").focus();
  }
}

// Text changes only when it differs, so live regions speak once and do not chatter.
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// An idea is shown in the language it was typed in, with its wording in the other language
// under it once a facilitator has added one; each part carries its own `lang`, so a screen
// reader speaks it in the right voice.
function wordingNodes() {
  return { text: el("span", { class: "card__text" }), translation: el("span", { class: "card__translation", hidden: true }) };
}

function setWording(item, card) {
  setText(item.text, card.text);
  setLang(item.text, card.language);
  const other = card.translation || "";
  setText(item.translation, other);
  item.translation.hidden = !other;
  if (other) setLang(item.translation, otherLanguage(card.language || "en"));
}

function setLang(node, language) {
  const lang = LANG_ATTRIBUTE[language];
  if (!lang) node.removeAttribute("lang"); // not known yet (an idea still sending): the page's
  else if (node.getAttribute("lang") !== lang) node.setAttribute("lang", lang);
}

// Draw `list` from `entries`, keeping the items already drawn (by key) and only updating them,
// so focus, and a screen reader's place, stay put when something else changes.
function syncList(list, cache, entries, keyOf, make, update) {
  const keep = new Set();
  const nodes = entries.map((entry) => {
    const key = keyOf(entry);
    keep.add(key);
    if (!cache.has(key)) cache.set(key, make(entry));
    const item = cache.get(key);
    update(item, entry);
    return item.node;
  });
  for (const key of [...cache.keys()]) if (!keep.has(key)) cache.delete(key);
  nodes.forEach((node, index) => {
    if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
  });
  while (list.children.length > nodes.length) list.lastElementChild.remove();
}

// The phase's sentence; in the vote phase it follows the vote (none yet, open, closed).
function phoneMessage() {
  const round = state.round;
  const byVote = state.vote_messages || {};
  if (state.workshop.phase === "vote" && round && byVote[round.state]) return byVote[round.state];
  return state.workshop.phone_message || "";
}

// A new phase or vote sentence, and results arriving, are said once through one polite region
// (not again after a reconnect brings the same state back).
function announceChanges() {
  const news = [];
  const message = phoneMessage();
  if (message !== lastMessage) news.push(message);
  lastMessage = message;
  const results = state.results && state.round ? state.round.id : null;
  if (results !== null && !announcedResults.has(results)) {
    announcedResults.add(results);
    news.push(say("resultsShown"));
  }
  if (announcing && news.length) document.getElementById("announce").textContent = news.join(" ");
}

function renderRoles() {
  const drawnNow = JSON.stringify(state.roles.map((role) => [role.id, role.title]));
  if (drawnNow === rolesDrawn) return; // options are rebuilt only when the roles change
  rolesDrawn = drawnNow;
  const chosen = roleSelect.value;
  roleSelect.replaceChildren(
    el("option", { value: "", text: LABELS.any_role.label }),
    ...state.roles.map((role) => el("option", { value: String(role.id), text: role.title })),
  );
  roleSelect.value = state.roles.some((role) => String(role.id) === chosen) ? chosen : "";
}

// Kind · role, and where it came from when it was not this session ("From session 1 · Agreed by
// every group", "From the evidence: ...").
function kindLine(card) {
  return [LABELS.kinds[card.kind], titleOfRole(state.roles, card.role_id), ...originTags(card)].join(" · ");
}

// ---- Voting ----

function confirmedVotes() {
  const mine = state.my_votes && state.round && state.my_votes.round_id === state.round.id ? state.my_votes : null;
  return mine ? mine.votes : {};
}

function currentVote(cardId) {
  const key = String(cardId);
  if (key in wanted) return wanted[key];
  return confirmedVotes()[key] ?? null;
}

function dotsLeft() {
  const all = { ...confirmedVotes(), ...wanted };
  const used = Object.values(all).reduce((sum, value) => sum + (Number(value) || 0), 0);
  return state.round.budget - used;
}

function setVote(cardId, value) {
  const round = state.round;
  if (!round || round.state !== "open") return;
  wanted[String(cardId)] = value;
  live.send("vote:set", { round_id: round.id, card_id: cardId, value });
  voteFeedback.textContent = "";
  renderVote();
}

// Read at the moment of the tap (never from when the button was drawn), so a second "+" adds
// a second dot.
function changeDots(cardId, step) {
  const dots = Number(currentVote(cardId)) || 0;
  const wantedDots = dots + step;
  if (wantedDots < 0 || wantedDots > state.round.max_per_card) return;
  if (step > 0 && dotsLeft() <= 0) return;
  setVote(cardId, wantedDots);
}

// Votes whose action has waited too long for the server: card id -> true.
function slowCards() {
  return new Set(live.pending().filter((action) => action.name === "vote:set" && slow.has(action.payload.cid))
    .map((action) => String(action.payload.card_id)));
}

function voteStatus(cardId, late) {
  const key = String(cardId);
  if (late.has(key)) return say("notSent");
  if (key in wanted) return say("sending");
  return saved.has(key) || key in confirmedVotes() ? say("saved") : "";
}

function makeVoteItem(card, dots) {
  const ids = { status: `vote-status-${card.id}`, count: `dot-count-${card.id}` };
  const item = {
    kind: el("span", { class: "card__kind" }),
    ...wordingNodes(),
    status: el("span", { class: "vote-card__status", id: ids.status }),
  };
  const controls = dots ? makeDotControls(card, item, ids) : makeAgreeControls(card, item, ids);
  item.node = el("li", { class: "card vote-card" }, item.kind, item.text, item.translation, controls, item.status);
  return item;
}

function makeDotControls(card, item, ids) {
  item.count = el("span", { class: "dot-count", id: ids.count });
  // aria-disabled, not disabled: a disabled button loses focus, and the person's place with it.
  item.less = el("button", { class: "dot-button", type: "button", text: "−",
    "aria-describedby": `${ids.count} ${ids.status}`, onclick: () => changeDots(card.id, -1) });
  item.more = el("button", { class: "dot-button", type: "button", text: "+",
    "aria-describedby": `${ids.count} ${ids.status}`, onclick: () => changeDots(card.id, 1) });
  return el("div", { class: "dots" }, item.less, item.count, item.more);
}

function makeAgreeControls(card, item, ids) {
  const name = `agree-${card.id}`;
  item.legend = el("legend", { class: "visually-hidden" });
  item.radios = LABELS.answers.map(([value]) => el("input", { type: "radio", name, value,
    id: `${name}-${value}`, onchange: () => setVote(card.id, value) }));
  return el("fieldset", { class: "agree", "aria-describedby": ids.status }, item.legend,
    ...LABELS.answers.map(([, text], index) => el("label", { class: "agree__option", for: item.radios[index].id },
      item.radios[index], el("span", { text }))));
}

function updateVoteItem(item, card, late) {
  setText(item.kind, kindLine(card));
  setWording(item, card);
  setText(item.status, voteStatus(card.id, late));
  item.node.classList.toggle("vote-card--late", late.has(String(card.id)));
  const chosen = currentVote(card.id);
  if (item.radios) {
    setText(item.legend, say("viewOn", { text: card.text }));
    for (const radio of item.radios) radio.checked = radio.value === chosen;
    return;
  }
  const dots = Number(chosen) || 0;
  setText(item.count, say("dots", { count: dots }));
  setDisabled(item.less, dots === 0);
  setDisabled(item.more, dots >= state.round.max_per_card || dotsLeft() <= 0);
  item.less.setAttribute("aria-label", say("takeDot", { text: shortText(card.text) }));
  item.more.setAttribute("aria-label", say("addDot", { text: shortText(card.text) }));
}

function setDisabled(button, disabled) {
  if (disabled) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
}

function renderVote() {
  const section = document.getElementById("vote");
  const round = state.round;
  const open = round && round.state === "open";
  section.hidden = !open;
  if (!open) return;
  const cards = round.card_ids.map((id) => state.cards.find((card) => card.id === id))
    .filter((card) => card && card.state === "visible");
  const dots = round.mode === "dots";
  const late = slowCards();
  setText(document.getElementById("vote-help"), dots ? say("dotsHelp", { count: round.budget, most: round.max_per_card }) : say("agreeHelp"));
  syncList(document.getElementById("vote-cards"), drawn.vote, cards, (card) => `${round.id}:${card.id}`,
    (card) => makeVoteItem(card, dots), (item, card) => updateVoteItem(item, card, late));
  const answered = cards.filter((card) => String(card.id) in confirmedVotes()).length;
  const progress = dots ? say("dotsLeft", { left: dotsLeft(), budget: round.budget }) : say("answered", { done: answered, all: cards.length });
  setText(document.getElementById("vote-progress"), late.size ? `${progress}. ${say("notSentCount", { count: late.size })}` : progress);
}

function renderResults() {
  const section = document.getElementById("results");
  const results = state.results;
  section.hidden = !results;
  if (!results) return;
  syncList(document.getElementById("results-list"), drawn.results, results.cards, (card) => card.card_id,
    () => {
      const item = { status: el("span", { class: "result__status" }), ...wordingNodes(),
        groups: el("span", { class: "card__kind" }) };
      item.node = el("li", {}, item.status, item.text, item.translation, item.groups);
      return item;
    },
    (item, card) => {
      item.node.className = `card result result--${card.status}`;
      setText(item.status, LABELS.consensus[card.status]);
      setWording(item, card);
      setText(item.groups, groupSummary(card));
    });
}

// ---- Ideas ----

function cardNote(card, sending, late) {
  if (late) return say("notSent");
  if (sending) return say("sending");
  if (card.mine && card.state === "pending") return say("yoursPending");
  if (card.mine && card.state === "hidden") return say("yoursHidden", { reason: card.hidden_reason || "" });
  return card.mine ? say("yours") : "";
}

function renderCards() {
  const sending = live.pending().filter((action) => action.name === "card:add")
    .map((action) => ({ key: `sending:${action.payload.cid}`, card: { ...action.payload, mine: true },
      note: cardNote(action.payload, true, slow.has(action.payload.cid)) }));
  const cards = [...state.cards].reverse().filter((card) => card.state !== "merged")
    .map((card) => ({ key: `card:${card.id}`, card, note: cardNote(card, false, false) }));
  syncList(document.getElementById("cards"), drawn.cards, [...sending, ...cards], (entry) => entry.key,
    () => {
      const item = { kind: el("span", { class: "card__kind" }), ...wordingNodes(),
        note: el("span", { class: "card__note" }) };
      item.node = el("li", {}, item.kind, item.text, item.translation, item.note);
      return item;
    },
    (item, { card, note }) => {
      item.node.className = "card" + (card.mine ? " card--mine" : "");
      setText(item.kind, kindLine(card));
      setWording(item, card);
      setText(item.note, note);
      item.note.hidden = !note;
    });
  document.getElementById("cards-empty").hidden = sending.length + cards.length > 0;
}

function acknowledged(action, reply) {
  slow.delete(action.payload.cid);
  if (action.name === "vote:set") return voteAcknowledged(action, reply);
  if (action.name !== "card:add") return;
  if (reply.ok) {
    upsertCard(reply.card);
    feedback.textContent = reply.card.state === "pending" ? say("thanksPending") : say("thanksShown");
  } else {
    // Give the words back, so nothing typed is lost, and say what to change.
    if (!textBox.value) textBox.value = action.payload.text;
    updateCounter();
    feedback.textContent = reply.error.message;
  }
  render();
}

function voteAcknowledged(action, reply) {
  const key = String(action.payload.card_id);
  const latest = wanted[key] === action.payload.value;
  if (latest) delete wanted[key];
  if (reply.ok) {
    state.my_votes = reply.votes;
    if (latest) saved.add(key);
  } else {
    delete wanted[key]; // show what the server holds, and say why this tap did not count
    saved.delete(key);
    voteFeedback.textContent = reply.error.message;
  }
  renderVote();
}

// ---- Adding an idea ----

let countTimer = null;

function updateCounter() {
  const left = maxLength - textBox.value.length;
  setText(counter, left >= 0 ? say("charactersLeft", { count: left }) : say("charactersOver", { count: -left }));
  // The visible count follows every key; the spoken one waits for a pause, near the limit only.
  clearTimeout(countTimer);
  countTimer = setTimeout(() => setText(counterAlert, left <= NEAR_LIMIT ? counter.textContent : ""),
    COUNT_PAUSE_MS);
  try {
    localStorage.setItem(draftKey, textBox.value);
  } catch {}
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textBox.value.trim();
  const kind = form.querySelector("input[name=kind]:checked");
  if (!text) {
    feedback.textContent = say("writeFirst");
    textBox.focus();
    return;
  }
  if (!kind) {
    feedback.textContent = say("chooseKind");
    form.querySelector("input[name=kind]").focus();
    return;
  }
  live.send("card:add", { kind: kind.value, text, role_id: roleSelect.value ? Number(roleSelect.value) : null });
  feedback.textContent = say("sendingIdea");
  textBox.value = "";
  updateCounter();
  renderCards();
});

textBox.addEventListener("input", updateCounter);
try {
  textBox.value = localStorage.getItem(draftKey) || "";
} catch {}
updateCounter();
// Votes still waiting from before a reload show as chosen until the server answers.
for (const action of live.pending()) {
  if (action.name === "vote:set") wanted[String(action.payload.card_id)] = action.payload.value;
}
