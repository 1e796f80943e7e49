// The facilitator's console: phase controls, every idea with its author group and moderation
// tools (reword, hide with a reason, put back), and who has joined.
import { KIND_LABELS, Live, el, statusText } from "./live.js";

const root = document.getElementById("console");
let state = { cards: [], roles: [], participants: [], counts: [], phases: [], workshop: {} };
const open = new Map(); // card id -> "edit" | "hide": keeps a tool open across re-renders
const drafts = new Map(); // field id -> text being typed, so a live update never wipes it
const STATE_LABELS = { visible: "On the screen", pending: "Waiting for approval", hidden: "Hidden", merged: "Merged" };

const live = new Live({
  workshop: Number(root.dataset.workshop),
  view: "console",
  onState: (next) => {
    state = next;
    render();
  },
  onEvent: (name, data) => {
    if (name === "card.staff") upsertCard(data);
    else if (name === "card.added" || name === "card.changed") upsertCard(data);
    else if (name === "card.removed") {
      const card = state.cards.find((item) => item.id === data.id);
      if (card && card.state === "visible") card.state = "hidden";
    } else if (name === "participant.joined") state.participants.push(data);
    else if (name === "counts") state.counts = data.counts;
    else if (name === "phase.changed") state.workshop = { ...state.workshop, ...data.workshop };
    else if (name === "role.changed") {
      state.roles = state.roles.filter((role) => role.id !== data.id);
      if (!data.retired) state.roles.push(data);
    }
    render();
  },
  onStatus: (status, message) => {
    const node = document.getElementById("connection");
    node.textContent = statusText(status, message);
    node.dataset.status = status;
  },
});

function upsertCard(card) {
  const existing = state.cards.find((item) => item.id === card.id);
  if (existing) Object.assign(existing, card);
  else state.cards.push(card);
}

function roleTitle(roleId) {
  const role = state.roles.find((item) => item.id === roleId);
  return role ? role.title : "Any role";
}

async function act(name, payload, feedbackNode) {
  const reply = await live.request(name, payload);
  if (!reply.ok) feedbackNode.textContent = reply.error.message;
  else feedbackNode.textContent = "";
  if (reply.ok && reply.card) upsertCard(reply.card);
  return reply;
}

function shortText(text) {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

// A small inline form under a card: one field, a submit and a cancel button. What is typed is
// kept in `drafts`, so a live update re-rendering the list never wipes it.
function inlineTool(card, feedback, { id, field, label, submit, submitClass, event, payload }) {
  const input = el(field.tag, { id, ...field.attrs, oninput: () => drafts.set(id, input.value) });
  input.value = drafts.has(id) ? drafts.get(id) : field.initial;
  return el("form", { class: "coprod-console-card__tools", onsubmit: async (submitted) => {
      submitted.preventDefault();
      const reply = await act(event, payload(input.value), feedback);
      if (reply.ok) { close(card.id); render(); }
    } },
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: label }), input),
    el("button", { class: `nhsuk-button ${submitClass}`, type: "submit", text: submit }),
    el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", text: "Cancel",
      onclick: () => { close(card.id); render(); } }));
}

function editTool(card, feedback) {
  return inlineTool(card, feedback, {
    id: `edit-${card.id}`, label: "New wording (the earlier wording is kept)",
    field: { tag: "textarea", attrs: { class: "nhsuk-textarea", rows: "2", maxlength: "280" }, initial: card.text },
    submit: "Save wording", submitClass: "", event: "card:edit",
    payload: (text) => ({ card_id: card.id, text }),
  });
}

function hideTool(card, feedback) {
  return inlineTool(card, feedback, {
    id: `reason-${card.id}`, label: "Reason for hiding (the author sees it)",
    field: { tag: "input", attrs: { class: "nhsuk-input", maxlength: "200", autocomplete: "off" }, initial: "" },
    submit: "Hide from the screen", submitClass: "nhsuk-button--warning", event: "card:hide",
    payload: (reason) => ({ card_id: card.id, reason }),
  });
}

function close(cardId) {
  open.delete(cardId);
  drafts.delete(`edit-${cardId}`);
  drafts.delete(`reason-${cardId}`);
}

function cardTools(card, feedback) {
  const tool = open.get(card.id);
  if (tool === "edit") return editTool(card, feedback);
  if (tool === "hide") return hideTool(card, feedback);
  const label = shortText(card.text);
  const buttons = [];
  if (card.state !== "merged") {
    buttons.push(el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button",
      id: `edit-button-${card.id}`, "aria-label": `Edit wording: ${label}`, text: "Edit wording",
      onclick: () => { open.set(card.id, "edit"); render(); } }));
  }
  if (card.state === "visible" || card.state === "pending") {
    buttons.push(el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button",
      id: `hide-button-${card.id}`, "aria-label": `Hide: ${label}`, text: "Hide",
      onclick: () => { open.set(card.id, "hide"); render(); } }));
  }
  if (card.state === "hidden" || card.state === "pending") {
    const text = card.state === "pending" ? "Approve" : "Put back on the screen";
    buttons.push(el("button", { class: "nhsuk-button", type: "button", id: `show-button-${card.id}`,
      "aria-label": `${text}: ${label}`, text,
      onclick: () => act("card:show", { card_id: card.id }, feedback).then(render) }));
  }
  return el("div", { class: "coprod-console-card__tools" }, buttons);
}

function cardItem(card) {
  const feedback = el("p", { class: "nhsuk-error-message", role: "alert" });
  const who = card.constituency ? `${card.author} · ${card.constituency}` : card.author;
  const meta = [KIND_LABELS[card.kind], roleTitle(card.role_id), who, STATE_LABELS[card.state]];
  if (card.entered_by_helper) meta.push("entered by helper");
  if (card.revisions > 1) meta.push(`edited (${card.revisions - 1}×)`);
  return el("li", { class: "coprod-console-card", "data-state": card.state, "data-card": String(card.id) },
    el("p", { class: "coprod-console-card__meta", text: meta.join(" · ") }),
    el("p", { class: "coprod-console-card__text", text: card.text }),
    card.state === "hidden" && card.hidden_reason ? el("p", { class: "nhsuk-body-s", text: `Reason: ${card.hidden_reason}` }) : null,
    cardTools(card, feedback), feedback);
}

function phaseControls() {
  const phases = state.phases;
  const index = phases.findIndex((phase) => phase.value === state.workshop.phase);
  const feedback = document.getElementById("phase-feedback");
  const move = (target) => async () => {
    const reply = await live.request("phase:set", { phase: target.value });
    feedback.textContent = reply.ok ? `Moved to ${target.label}.` : reply.error.message;
    if (reply.ok) { state.workshop = { ...state.workshop, ...reply.workshop }; render(); }
  };
  const buttons = [];
  if (index > 0) buttons.push(el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: "phase-back",
    text: `Back to ${phases[index - 1].label}`, onclick: move(phases[index - 1]) }));
  if (index >= 0 && index < phases.length - 1) buttons.push(el("button", { class: "nhsuk-button", type: "button", id: "phase-next",
    text: `Next: ${phases[index + 1].label}`, onclick: move(phases[index + 1]) }));
  return el("div", { class: "coprod-actions" }, buttons);
}

function render() {
  // Re-rendering must not take the cursor away from someone typing.
  const focused = document.activeElement && document.activeElement.id;
  const selection = focused && "selectionStart" in document.activeElement
    ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : null;
  draw();
  const again = focused && document.getElementById(focused);
  if (again && again !== document.activeElement) {
    again.focus();
    if (selection) again.setSelectionRange(...selection);
  }
}

function draw() {
  document.getElementById("phase-label").textContent = state.workshop.phase_label || "";
  document.getElementById("phase-controls").replaceChildren(phaseControls());
  const cards = [...state.cards].reverse();
  document.getElementById("cards").replaceChildren(...cards.map(cardItem));
  document.getElementById("cards-empty").hidden = cards.length > 0;
  document.getElementById("card-count").textContent = cards.length ? `(${cards.length})` : "";
  document.getElementById("counts").replaceChildren(...state.counts.map((group) =>
    el("li", { text: `${group.name}: ${group.count}` })));
  document.getElementById("participants").replaceChildren(...state.participants.map((person) =>
    el("li", { text: `${person.pseudonym}${person.nickname ? ` (${person.nickname})` : ""} · ${person.constituency}` })));
}
