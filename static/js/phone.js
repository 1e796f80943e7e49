// The participant's phone: follows the phase, adds ideas and votes (kept until the server has
// them), shows the ideas on the screen and, once revealed, the results. Kept small for cheap
// phones on a weak signal.
import { Countdown, groupSummary } from "./countdown.js";
import { LABELS, Live, el, shortText, statusText, upsert, withRole } from "./live.js";

const root = document.getElementById("phone");
const workshopId = Number(root.dataset.workshop);
const draftKey = `coprod.draft.${workshopId}`;
const form = document.getElementById("add-card");
const textBox = document.getElementById("card-text");
const counter = document.getElementById("card-text-count");
const feedback = document.getElementById("add-feedback");
const voteFeedback = document.getElementById("vote-feedback");
const roleSelect = document.getElementById("card-role");
const maxLength = Number(textBox.getAttribute("maxlength"));
const countdown = new Countdown(document.getElementById("countdown"));

let state = { cards: [], roles: [], workshop: {}, round: null, my_votes: null, results: null };
let wanted = {}; // card id -> vote waiting for the server's answer (shown straight away)

const live = new Live({
  workshop: workshopId,
  view: "phone",
  onState: (fresh) => {
    state = fresh;
    countdown.set(fresh.countdown);
    render();
  },
  onEvent: (name, data) => applyEvent(name, data),
  onStatus: (status, message) => {
    const node = document.getElementById("connection");
    node.textContent = statusText(status, message);
    node.dataset.status = status;
  },
  onAck: (action, reply) => acknowledged(action, reply),
});

function applyEvent(name, data) {
  if (name === "card.added" || name === "card.changed" || name === "card.mine") upsertCard(data);
  else if (name === "card.removed") state.cards = state.cards.filter((card) => card.id !== data.id || card.mine && !data.merged_into);
  else if (name === "phase.changed") { state.workshop = { ...state.workshop, ...data.workshop }; countdown.set(null); }
  else if (name === "role.changed") state.roles = withRole(state.roles, data);
  else if (name === "workshop.changed" && data.title) state.workshop.title = data.title;
  else if (name === "round.opened") { state.round = data.round; state.my_votes = null; state.results = null; wanted = {}; }
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
  const workshop = state.workshop;
  document.getElementById("phase-label").textContent = workshop.phase_label || "";
  document.getElementById("phase-message").textContent = workshop.phone_message || "";
  form.hidden = workshop.phase !== "contribute";
  renderRoles();
  renderVote();
  renderResults();
  renderCards();
}

function renderRoles() {
  const chosen = roleSelect.value;
  roleSelect.replaceChildren(
    el("option", { value: "", text: "Any role" }),
    ...state.roles.map((role) => el("option", { value: String(role.id), text: role.title })),
  );
  roleSelect.value = state.roles.some((role) => String(role.id) === chosen) ? chosen : "";
}

function roleTitle(roleId) {
  const role = state.roles.find((item) => item.id === roleId);
  return role ? role.title : "Any role";
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
  const round = state.round;
  const all = { ...confirmedVotes(), ...wanted };
  const used = Object.values(all).reduce((sum, value) => sum + (Number(value) || 0), 0);
  return round.budget - used;
}

function setVote(card, value) {
  const round = state.round;
  wanted[String(card.id)] = value;
  live.send("vote:set", { round_id: round.id, card_id: card.id, value });
  voteFeedback.textContent = "";
  renderVote();
}

function dotControls(card) {
  const dots = Number(currentVote(card.id)) || 0;
  const round = state.round;
  const label = shortText(card.text);
  return el("div", { class: "dots" },
    el("button", { class: "dot-button", type: "button", "aria-label": `Take a dot off: ${label}`, text: "−",
      disabled: dots === 0, onclick: () => setVote(card, dots - 1) }),
    el("span", { class: "dot-count", text: `${dots} ${dots === 1 ? "dot" : "dots"}` }),
    el("button", { class: "dot-button", type: "button", "aria-label": `Add a dot to: ${label}`, text: "+",
      disabled: dots >= round.max_per_card || dotsLeft() <= 0, onclick: () => setVote(card, dots + 1) }));
}

function agreeControls(card) {
  const chosen = currentVote(card.id);
  const name = `agree-${card.id}`;
  const options = [["agree", "Agree"], ["unsure", "Not sure"], ["disagree", "Disagree"]];
  return el("fieldset", { class: "agree" },
    el("legend", { class: "visually-hidden", text: `Your view on: ${card.text}` }),
    ...options.map(([value, text]) => el("label", { class: "agree__option", for: `${name}-${value}` },
      el("input", { type: "radio", name, id: `${name}-${value}`, value, checked: chosen === value,
        onchange: () => setVote(card, value) }),
      el("span", { text }))));
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
  document.getElementById("vote-help").textContent = dots
    ? `You have ${round.budget} dots. Put up to ${round.max_per_card} on any idea you support.`
    : "For each idea, say if you agree, are not sure, or disagree.";
  document.getElementById("dots-left").textContent = dots ? `Dots left: ${dotsLeft()}` : "";
  document.getElementById("vote-cards").replaceChildren(...cards.map((card) =>
    el("li", { class: "card vote-card" },
      el("span", { class: "card__kind", text: `${LABELS.kinds[card.kind]} · ${roleTitle(card.role_id)}` }),
      el("span", { class: "card__text", text: card.text }),
      dots ? dotControls(card) : agreeControls(card))));
}

function renderResults() {
  const section = document.getElementById("results");
  const results = state.results;
  section.hidden = !results;
  if (!results) return;
  document.getElementById("results-list").replaceChildren(...results.cards.map((card) =>
    el("li", { class: `card result result--${card.status}` },
      el("span", { class: "result__status", text: LABELS.consensus[card.status] }),
      el("span", { class: "card__text", text: card.text }),
      el("span", { class: "card__kind", text: groupSummary(card) }))));
}

// ---- Ideas ----

function cardItem(card, sending) {
  let note = null;
  if (sending) note = "Sending…";
  else if (card.mine && card.state === "pending") note = "Yours. Waiting for the facilitator to put it on the screen.";
  else if (card.mine && card.state === "hidden") note = `Yours. The facilitator set it aside: ${card.hidden_reason || ""}`;
  else if (card.mine) note = "Yours";
  return el("li", { class: "card" + (card.mine ? " card--mine" : "") },
    el("span", { class: "card__kind", text: `${LABELS.kinds[card.kind]} · ${roleTitle(card.role_id)}` }),
    el("span", { class: "card__text", text: card.text }),
    note && el("span", { class: "card__note", text: note }));
}

function renderCards() {
  const sending = live.pending().filter((action) => action.name === "card:add")
    .map((action) => cardItem({ ...action.payload, mine: true }, true));
  const cards = [...state.cards].reverse().filter((card) => card.state !== "merged").map((card) => cardItem(card, false));
  document.getElementById("cards").replaceChildren(...sending, ...cards);
  document.getElementById("cards-empty").hidden = sending.length + cards.length > 0;
}

function acknowledged(action, reply) {
  if (action.name === "vote:set") return voteAcknowledged(action, reply);
  if (action.name !== "card:add") return;
  if (reply.ok) {
    upsertCard(reply.card);
    feedback.textContent = reply.card.state === "pending"
      ? "Thank you. Your idea will go on the screen when the facilitator approves it."
      : "Thank you. Your idea is on the screen.";
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
  if (wanted[key] === action.payload.value) delete wanted[key];
  if (reply.ok) state.my_votes = reply.votes;
  else {
    delete wanted[key]; // show what the server holds, and say why this tap did not count
    voteFeedback.textContent = reply.error.message;
  }
  renderVote();
}

function updateCounter() {
  const left = maxLength - textBox.value.length;
  counter.textContent = left >= 0 ? `You have ${left} characters left.` : `That is ${-left} characters too many.`;
  try {
    localStorage.setItem(draftKey, textBox.value);
  } catch {}
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textBox.value.trim();
  const kind = form.querySelector("input[name=kind]:checked");
  if (!text) {
    feedback.textContent = "Please write your idea first.";
    textBox.focus();
    return;
  }
  if (!kind) {
    feedback.textContent = "Please choose whether it is something the role does or needs.";
    return;
  }
  live.send("card:add", { kind: kind.value, text, role_id: roleSelect.value ? Number(roleSelect.value) : null });
  feedback.textContent = "Sending your idea…";
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
