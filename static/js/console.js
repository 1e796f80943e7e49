// The facilitator's console: phase controls, every idea with its author group and moderation
// tools (reword, hide with a reason, put back), and who has joined.
import { Countdown } from "./countdown.js";
import { LABELS, Live, el, redraw, shortText, statusText, upsert, withRole } from "./live.js";

const root = document.getElementById("console");
let state = { cards: [], roles: [], participants: [], counts: [], phases: [], workshop: {}, round: null, results: null };
const countdown = new Countdown(document.getElementById("countdown"), { prefix: "· " });
let dragged = null; // card id being dragged onto another to merge
const open = new Map(); // card id -> "edit" | "hide": keeps a tool open across re-renders
const drafts = new Map(); // field id -> text being typed, so a live update never wipes it

const live = new Live({
  workshop: Number(root.dataset.workshop),
  view: "console",
  onState: (next) => {
    state = next;
    countdown.set(next.countdown);
    render();
  },
  onEvent: (name, data) => {
    if (name === "card.staff") upsertCard(data);
    else if (name === "card.added" || name === "card.changed") upsertCard(data);
    else if (name === "card.removed") {
      const card = state.cards.find((item) => item.id === data.id);
      if (card && card.state === "visible") card.state = "hidden";
    } else if (name === "participant.joined" || name === "participant.changed") upsert(state.participants, data);
    else if (name === "counts") state.counts = data.counts;
    else if (name === "phase.changed") { state.workshop = { ...state.workshop, ...data.workshop }; countdown.set(null); }
    else if (name === "role.changed") state.roles = withRole(state.roles, data);
    else if (name === "round.opened") { state.round = data.round; state.results = null; }
    else if (name === "round.closed") state.round = data.round;
    else if (name === "results.revealed") { state.results = data.results; state.round = data.results.round; }
    else if (name === "tally") { state.results = data; state.round = data.round; }
    else if (name === "countdown.set") countdown.set(data);
    render();
  },
  onStatus: (status, message) => {
    const node = document.getElementById("connection");
    node.textContent = statusText(status, message);
    node.dataset.status = status;
  },
});

function upsertCard(card) {
  upsert(state.cards, card);
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

// A small inline form under a card: one field (with its limit shown before anyone reaches it),
// a submit and a cancel button. What is typed is kept in `drafts`, so a live update re-rendering
// the list never wipes it.
function inlineTool(card, feedback, { id, field, label, submit, submitClass, event, payload }) {
  const hint = el("div", { class: "nhsuk-hint", id: `${id}-hint`, text: `Up to ${field.attrs.maxlength} characters.` });
  const input = el(field.tag, { id, ...field.attrs, "aria-describedby": hint.id, oninput: () => drafts.set(id, input.value) });
  input.value = drafts.has(id) ? drafts.get(id) : field.initial;
  return el("form", { class: "coprod-console-card__tools", onsubmit: async (submitted) => {
      submitted.preventDefault();
      const reply = await act(event, payload(input.value), feedback);
      if (reply.ok) { close(card.id); render(); }
    } },
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: label }), hint, input),
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
  return el("div", { class: "coprod-console-card__tools" }, buttons, mergeTool(card, feedback));
}

const MERGEABLE = ["visible", "pending", "hidden"];

async function merge(sourceId, targetId, feedback) {
  const reply = await live.request("card:merge", { source_id: sourceId, target_id: targetId });
  const note = document.getElementById("merge-feedback");
  if (!reply.ok) {
    (feedback || note).textContent = reply.error.message;
    return;
  }
  const source = state.cards.find((item) => item.id === sourceId);
  if (source) { source.state = "merged"; source.merged_into = targetId; }
  upsertCard(reply.target);
  note.textContent = `Merged into "${shortText(reply.target.text)}". You can undo it under that idea.`;
  render();
}

function mergeTool(card, feedback) {
  if (!MERGEABLE.includes(card.state)) return null;
  const others = state.cards.filter((other) => other.id !== card.id && MERGEABLE.includes(other.state));
  if (!others.length) return null;
  const id = `merge-${card.id}`;
  const select = el("select", { class: "nhsuk-select", id, onchange: () => drafts.set(id, select.value) },
    others.map((other) => el("option", { value: String(other.id), text: shortText(other.text) })));
  if (drafts.has(id)) select.value = drafts.get(id);
  return el("form", { class: "coprod-console-card__tools", onsubmit: (event) => {
      event.preventDefault();
      merge(card.id, Number(select.value), feedback);
    } },
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: "Merge into" }), select),
    el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit", id: `merge-button-${card.id}`,
      "aria-label": `Merge: ${shortText(card.text)}`, text: "Merge" }));
}

function mergedFrom(card, feedback) {
  if (!card.merged_from || !card.merged_from.length) return null;
  return el("ul", { class: "nhsuk-list nhsuk-body-s coprod-merged" }, card.merged_from.map((source) =>
    el("li", {}, `Merged in: "${source.text}"${source.constituency ? ` (${source.constituency})` : ""} `,
      el("button", { class: "coprod-link-button", type: "button", "aria-label": `Undo merge: ${shortText(source.text)}`,
        text: "Undo merge", onclick: async () => {
          const reply = await live.request("merge:undo", { merge_id: source.merge_id });
          if (!reply.ok) { feedback.textContent = reply.error.message; return; }
          upsertCard(reply.source);
          upsertCard(reply.target);
          render();
        } }))));
}

function dragTarget(node, card) {
  if (!MERGEABLE.includes(card.state)) return;
  node.draggable = true;
  node.addEventListener("dragstart", (event) => {
    dragged = card.id;
    event.dataTransfer.setData("text/plain", String(card.id));
    event.dataTransfer.effectAllowed = "move";
  });
  node.addEventListener("dragover", (event) => {
    if (dragged && dragged !== card.id) { event.preventDefault(); node.classList.add("coprod-drop"); }
  });
  node.addEventListener("dragleave", () => node.classList.remove("coprod-drop"));
  node.addEventListener("drop", (event) => {
    event.preventDefault();
    node.classList.remove("coprod-drop");
    const source = Number(event.dataTransfer.getData("text/plain")) || dragged;
    dragged = null;
    if (source && source !== card.id) merge(source, card.id, null);
  });
}

function cardItem(card) {
  const feedback = el("p", { class: "nhsuk-error-message", role: "alert" });
  const who = card.constituency ? `${card.author} · ${card.constituency}` : card.author;
  const meta = [LABELS.kinds[card.kind], roleTitle(card.role_id), who, LABELS.card_states[card.state]];
  if (card.entered_by_helper) meta.push("entered by helper");
  if (card.revisions > 1) meta.push(`edited (${card.revisions - 1}×)`);
  const item = el("li", { class: "coprod-console-card", "data-state": card.state, "data-card": String(card.id) },
    el("p", { class: "coprod-console-card__meta", text: meta.join(" · ") }),
    el("p", { class: "coprod-console-card__text", text: card.text }),
    card.state === "hidden" && card.hidden_reason ? el("p", { class: "nhsuk-body-s", text: `Reason: ${card.hidden_reason}` }) : null,
    mergedFrom(card, feedback), cardTools(card, feedback), feedback);
  dragTarget(item, card);
  return item;
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
  redraw(draw);
}

function draw() {
  document.getElementById("phase-label").textContent = state.workshop.phase_label || "";
  document.getElementById("phase-controls").replaceChildren(phaseControls());
  renderVotePanel();
  const cards = [...state.cards].reverse().filter((card) => card.state !== "merged");
  document.getElementById("cards").replaceChildren(...cards.map(cardItem));
  document.getElementById("cards-empty").hidden = cards.length > 0;
  document.getElementById("card-count").textContent = cards.length ? `(${cards.length})` : "";
  document.getElementById("counts").replaceChildren(...state.counts.map((group) =>
    el("li", { text: `${group.name}: ${group.count}` })));
  document.getElementById("participants").replaceChildren(...state.participants.map(personItem));
}

function personItem(person) {
  const text = `${person.pseudonym}${person.nickname ? ` (${person.nickname})` : ""} · ${person.constituency}` +
    (person.on_paper ? " · on paper" : "");
  return el("li", {}, text, person.nickname ? " " : null, person.nickname ? el("button", {
    class: "coprod-link-button", type: "button", id: `forget-${person.id}`,
    "aria-label": `Remove the name of ${person.pseudonym}`, text: "Remove name",
    onclick: async () => {
      const reply = await live.request("participant:forget", { participant_id: person.id });
      if (reply.ok) { upsert(state.participants, reply.participant); render(); }
    } }) : null);
}

// ---- Countdown ----

document.getElementById("countdown-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const minutes = Number(document.getElementById("countdown-minutes").value);
  const reply = await live.request("countdown:set", { minutes });
  document.getElementById("phase-feedback").textContent = reply.ok ? `Countdown started: ${minutes} minutes.` : reply.error.message;
  if (reply.ok) countdown.set(reply.countdown);
});
document.getElementById("countdown-stop").addEventListener("click", async () => {
  const reply = await live.request("countdown:set", { minutes: 0 });
  document.getElementById("phase-feedback").textContent = reply.ok ? "Countdown stopped." : reply.error.message;
  if (reply.ok) countdown.set(reply.countdown);
});

// ---- Voting ----

function numberField(id, label, value, min, max) {
  const input = el("input", { class: "nhsuk-input nhsuk-input--width-2", id, type: "number", min: String(min),
    max: String(max), value: String(value), inputmode: "numeric" });
  return [el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: label }), input), input];
}

let roundForm = null; // built once, so a live update never resets what the facilitator chose

function openRoundForm() {
  roundForm = roundForm || buildOpenRoundForm();
  return roundForm;
}

function buildOpenRoundForm() {
  const [budgetGroup, budget] = numberField("round-budget", "Dots each person has", 5, 1, 20);
  const [maxGroup, maxPerCard] = numberField("round-max", "Most dots on one idea", 2, 1, 20);
  const modes = [["dots", "Dot voting"], ["agree", "Agree, not sure or disagree"]];
  const roleSelect = el("select", { class: "nhsuk-select", id: "round-role" },
    el("option", { value: "", text: "Every idea on the screen" }),
    state.roles.map((role) => el("option", { value: String(role.id), text: `Only ideas for ${role.title}` })));
  const hidden = el("input", { class: "nhsuk-checkboxes__input", type: "checkbox", id: "round-hidden", checked: true });
  return el("form", { class: "coprod-open-round", onsubmit: async (event) => {
      event.preventDefault();
      const mode = document.querySelector("input[name=round-mode]:checked").value;
      const payload = { mode, hide_until_reveal: hidden.checked, role_id: roleSelect.value ? Number(roleSelect.value) : null };
      if (mode === "dots") Object.assign(payload, { budget: Number(budget.value), max_per_card: Number(maxPerCard.value) });
      const reply = await live.request("round:open", payload);
      document.getElementById("vote-feedback").textContent = reply.ok ? "The vote is open. Phones show it now." : reply.error.message;
      if (reply.ok) { state.round = reply.round; state.results = null; render(); }
    } },
    el("fieldset", { class: "nhsuk-fieldset" },
      el("legend", { class: "nhsuk-fieldset__legend nhsuk-fieldset__legend--s", text: "How people vote" }),
      el("div", { class: "nhsuk-radios nhsuk-radios--inline" }, modes.map(([value, text], index) =>
        el("div", { class: "nhsuk-radios__item" },
          el("input", { class: "nhsuk-radios__input", type: "radio", name: "round-mode", id: `round-mode-${value}`, value, checked: index === 0 }),
          el("label", { class: "nhsuk-label nhsuk-radios__label", for: `round-mode-${value}`, text }))))),
    budgetGroup, maxGroup,
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: "round-role", text: "Which ideas" }), roleSelect),
    el("div", { class: "nhsuk-checkboxes" }, el("div", { class: "nhsuk-checkboxes__item" }, hidden,
      el("label", { class: "nhsuk-label nhsuk-checkboxes__label", for: "round-hidden", text: "Keep results off the screen until I show them" }))),
    el("button", { class: "nhsuk-button", type: "submit", text: "Open the vote" }));
}

function roundButton(text, event, done, secondary = false) {
  return el("button", { class: `nhsuk-button${secondary ? " nhsuk-button--secondary" : ""}`, type: "button", text,
    onclick: async () => {
      const reply = await live.request(event, { round_id: state.round.id });
      document.getElementById("vote-feedback").textContent = reply.ok ? done : reply.error.message;
      if (reply.ok) {
        if (reply.round) state.round = reply.round;
        if (reply.results) { state.results = reply.results; state.round = reply.results.round; }
        render();
      }
    } });
}

function tallyTable(results) {
  if (!results || !results.cards.length) return el("p", { text: "No votes yet." });
  const groups = results.cards[0].groups.map((group) => group.name);
  return el("table", { class: "nhsuk-table coprod-tally" },
    el("caption", { class: "nhsuk-table__caption", text: `Support within each group (vote ${results.round.number})` }),
    el("thead", { class: "nhsuk-table__head" }, el("tr", { class: "nhsuk-table__row" },
      el("th", { class: "nhsuk-table__header", scope: "col", text: "Idea" }),
      el("th", { class: "nhsuk-table__header", scope: "col", text: "Status" }),
      groups.map((group) => el("th", { class: "nhsuk-table__header", scope: "col", text: group })))),
    el("tbody", { class: "nhsuk-table__body" }, results.cards.map((card) => el("tr", { class: "nhsuk-table__row" },
      el("td", { class: "nhsuk-table__cell", text: card.text }),
      el("td", { class: "nhsuk-table__cell", text: LABELS.consensus[card.status] }),
      card.groups.map((group) => el("td", { class: "nhsuk-table__cell",
        text: `${group.share}% (${group.supporters}/${group.voters})${group.entered_by_helper ? `, ${group.entered_by_helper} by helper` : ""}` }))))));
}

function renderVotePanel() {
  const round = state.round;
  const phase = state.workshop.phase;
  const controls = [];
  if (round && round.state === "open") {
    controls.push(el("p", { text: `Vote ${round.number} is open: ${round.mode_label}.` }),
      roundButton("Close the vote", "round:close", "The vote is closed."));
  } else {
    if (round && !round.revealed) {
      controls.push(el("p", { text: `Vote ${round.number} is closed. The results are not on the screen yet.` }),
        roundButton("Show the results", "round:reveal", "The results are on the screen and phones.", phase !== "results"));
    }
    if (phase === "vote") controls.push(el("h3", { class: "nhsuk-heading-s", text: "Open a vote" }), openRoundForm());
    else if (!round) controls.push(el("p", { text: "Move to the Vote phase to open a vote." }));
  }
  document.getElementById("vote-controls").replaceChildren(...controls);
  document.getElementById("tally").replaceChildren(round ? tallyTable(state.results) : "");
}
