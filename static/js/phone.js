// The participant's phone: follows the phase, adds ideas (kept until the server has them), and
// shows the ideas on the screen. Kept small for cheap phones on a weak signal.
import { KIND_LABELS, Live, el, statusText } from "./live.js";

const root = document.getElementById("phone");
const workshopId = Number(root.dataset.workshop);
const draftKey = `coprod.draft.${workshopId}`;
const form = document.getElementById("add-card");
const textBox = document.getElementById("card-text");
const counter = document.getElementById("card-text-count");
const feedback = document.getElementById("add-feedback");
const roleSelect = document.getElementById("card-role");
const maxLength = Number(textBox.getAttribute("maxlength"));

let state = { cards: [], roles: [], workshop: {} };

const live = new Live({
  workshop: workshopId,
  view: "phone",
  onState: (fresh) => {
    state = fresh;
    render();
  },
  onEvent: (name, data) => applyEvent(name, data),
  onStatus: (status, message) => {
    document.getElementById("connection").textContent = statusText(status, message);
    document.getElementById("connection").dataset.status = status;
  },
  onAck: (action, reply) => acknowledged(action, reply),
});

function applyEvent(name, data) {
  if (name === "card.added" || name === "card.changed" || name === "card.mine") upsertCard(data);
  else if (name === "card.removed") state.cards = state.cards.filter((card) => card.id !== data.id || card.mine);
  else if (name === "phase.changed") state.workshop = { ...state.workshop, ...data.workshop };
  else if (name === "role.changed") upsertRole(data);
  else if (name === "workshop.changed" && data.title) state.workshop.title = data.title;
  render();
}

function upsertCard(card) {
  const existing = state.cards.find((item) => item.id === card.id);
  if (existing) Object.assign(existing, card);
  else state.cards.push(card);
}

function upsertRole(role) {
  state.roles = state.roles.filter((item) => item.id !== role.id);
  if (!role.retired) state.roles.push(role);
}

function render() {
  const workshop = state.workshop;
  document.getElementById("phase-label").textContent = workshop.phase_label || "";
  document.getElementById("phase-message").textContent = workshop.phone_message || "";
  form.hidden = workshop.phase !== "contribute";
  renderRoles();
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

function cardItem(card, sending) {
  let note = null;
  if (sending) note = "Sending…";
  else if (card.mine && card.state === "pending") note = "Yours. Waiting for the facilitator to put it on the screen.";
  else if (card.mine && card.state === "hidden") note = `Yours. The facilitator set it aside: ${card.hidden_reason || ""}`;
  else if (card.mine) note = "Yours";
  return el("li", { class: "card" + (card.mine ? " card--mine" : "") },
    el("span", { class: "card__kind", text: `${KIND_LABELS[card.kind]} · ${roleTitle(card.role_id)}` }),
    el("span", { class: "card__text", text: card.text }),
    note && el("span", { class: "card__note", text: note }));
}

function renderCards() {
  const sending = live.pending().filter((action) => action.name === "card:add")
    .map((action) => cardItem({ ...action.payload, role_id: action.payload.role_id, mine: true }, true));
  const cards = [...state.cards].reverse().filter((card) => card.state !== "merged").map((card) => cardItem(card, false));
  const list = document.getElementById("cards");
  list.replaceChildren(...sending, ...cards);
  document.getElementById("cards-empty").hidden = sending.length + cards.length > 0;
}

function acknowledged(action, reply) {
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
