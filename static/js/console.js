// The facilitator's console, made for a laptop: a bar that stays in view (phase, back and next,
// the wall's pages, connection), the vote, one dense row per idea whose rare actions (reword,
// hide, approve or put back, merge, undo a merge) sit behind one "Actions" button, and who joined.
import { Countdown } from "./countdown.js";
import { LABELS, LANG_ATTRIBUTE, Live, el, laterRound, originTags, otherLanguage, phaseLabel, redraw, say, shortText, statusText, titleOfRole, upsert, withRole } from "./live.js";

// Every sentence this page writes comes with the page, in the reader's language
// (coprod/web/words/console.py): `say(key, values)`.

const root = document.getElementById("console");
let state = { cards: [], roles: [], participants: [], counts: [], phases: [], workshop: {}, round: null, results: null, joining: null };
let joiningAt = 0; // when the joining figures arrived (performance.now()), to let the last minute fall
const countdown = new Countdown(document.getElementById("countdown"), { prefix: "· " });
let dragged = null; // card id being dragged onto another to merge
let openPanel = null; // the card whose actions are open: one at a time, kept across live updates
let takingOut = null; // the id of a person waiting for its yes (take them out)
let confirming = null; // {sourceId, targetId, at}: a merge waiting for its yes in card `at`'s panel
const tools = new Map(); // card id -> "edit" | "hide": keeps a tool open across re-renders
const drafts = new Map(); // field id -> text being typed, so a live update never wipes it
const notes = new Map(); // card id -> the last refusal for it, shown on its row until the next try

const live = new Live({
  workshop: Number(root.dataset.workshop),
  view: "console",
  accessEnded: say("accessEnded"),
  onState: (next) => {
    state = next;
    joiningAt = performance.now();
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
    else if (name === "joining") { state.joining = data; joiningAt = performance.now(); }
    else if (name === "phase.changed") { state.workshop = { ...state.workshop, ...data.workshop }; countdown.set(null); }
    else if (name === "role.changed") state.roles = withRole(state.roles, data);
    else if (name === "round.opened") { state.round = data.round; state.results = null; }
    else if (name === "round.closed") state.round = data.round;
    else if (name === "results.revealed") { state.results = data.results; state.round = data.results.round; }
    else if (name === "tally") applyTally(data);
    else if (name === "countdown.set") countdown.set(data);
    else return; // nothing on this page shows it (the wall's pages, outlines)
    render();
  },
  onStatus: (status, message) => {
    const node = document.getElementById("connection");
    node.textContent = statusText(status, message);
    node.dataset.status = status;
  },
});

// How the room knows a person ("Participant 3"), in this console's language.
function pseudonym(person) {
  return say("pseudonym", { number: person.number });
}

function upsertCard(card) {
  upsert(state.cards, card);
}

function cardById(cardId) {
  return state.cards.find((item) => item.id === cardId);
}

// Once a vote has been opened, a merge moves votes people cast: the console asks first.
function votesOpened() {
  return Boolean(state.round) || ["vote", "results", "build", "closed"].includes(state.workshop.phase);
}

function announce(message) {
  document.getElementById("merge-feedback").textContent = message;
}

async function act(name, payload, cardId) {
  const reply = await live.request(name, payload);
  if (reply.ok) notes.delete(cardId);
  else { notes.set(cardId, reply.error.message); announce(reply.error.message); }
  if (reply.ok && reply.card) upsertCard(reply.card);
  return reply;
}

// A tally of an older vote is not news; one of this vote never takes its state back.
function applyTally(tally) {
  const round = laterRound(state.round, tally.round);
  if (round.id === tally.round.id) state.results = tally;
  state.round = round;
}

// Redraw, then move focus on purpose (the control that had it may be gone, e.g. a merged idea).
function renderAndFocus(id) {
  render();
  const node = document.getElementById(id);
  if (node) node.focus();
}

function togglePanel(cardId) {
  if (openPanel === cardId) closePanel(cardId);
  else {
    openPanel = cardId;
    if (confirming && confirming.at !== cardId) confirming = null;
    render();
  }
}

function closePanel(cardId) {
  openPanel = null;
  if (confirming && confirming.at === cardId) confirming = null;
  renderAndFocus(`actions-${cardId}`);
}

// A small inline form in a card's actions: one field (with its limit shown before anyone reaches
// it), a submit and a cancel button. What is typed is kept in `drafts`, so a live update
// re-rendering the list never wipes it.
function inlineTool(card, { id, field, label, hint: about, submit, submitClass, event, payload, opener }) {
  const limit = say("limit", { count: Number(field.attrs.maxlength) });
  const hint = el("div", { class: "nhsuk-hint", id: `${id}-hint`, text: about ? `${about} ${limit}` : limit });
  const input = el(field.tag, { id, ...field.attrs, "aria-describedby": hint.id, oninput: () => drafts.set(id, input.value) });
  input.value = drafts.has(id) ? drafts.get(id) : field.initial;
  return el("form", { class: "coprod-console-card__tools", onsubmit: async (submitted) => {
      submitted.preventDefault();
      const reply = await act(event, payload(input.value), card.id);
      if (reply.ok) { closeTool(card.id); openPanel = null; renderAndFocus(`actions-${card.id}`); }
      else render();
    } },
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: label }), hint, input),
    el("button", { class: `nhsuk-button ${submitClass}`, type: "submit", id: `${id}-save`, text: submit }),
    el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `${id}-cancel`, text: say("cancel"),
      onclick: () => { closeTool(card.id); renderAndFocus(opener); } }));
}

function editTool(card) {
  return inlineTool(card, {
    id: `edit-${card.id}`, label: say("wordingLabel"), opener: `edit-button-${card.id}`,
    field: { tag: "textarea", attrs: { class: "nhsuk-textarea", rows: "2", maxlength: "280" }, initial: card.text },
    submit: say("saveWording"), submitClass: "", event: "card:edit",
    payload: (text) => ({ card_id: card.id, text }),
  });
}

function hideTool(card) {
  return inlineTool(card, {
    id: `reason-${card.id}`, label: say("reasonLabel"), opener: `hide-button-${card.id}`,
    field: { tag: "input", attrs: { class: "nhsuk-input", maxlength: "200", autocomplete: "off" }, initial: "" },
    submit: say("hideSubmit"), submitClass: "nhsuk-button--warning", event: "card:hide",
    payload: (reason) => ({ card_id: card.id, reason }),
  });
}

// The idea's wording in the other language (the one it was not typed in), shown beside it.
function translateTool(card) {
  const lang = otherLanguage(card.language);
  return inlineTool(card, {
    id: `translate-${card.id}`, label: say(`wordingIn_${lang}`), hint: say("translationHint"),
    opener: `translate-button-${card.id}`,
    field: { tag: "textarea", attrs: { class: "nhsuk-textarea", rows: "2", maxlength: "280", lang: LANG_ATTRIBUTE[lang] },
      initial: card.translation || "" },
    submit: say("saveTranslation"), submitClass: "", event: "card:translate",
    payload: (text) => ({ card_id: card.id, text }),
  });
}

function openTool(cardId, tool, fieldId) {
  tools.set(cardId, tool);
  renderAndFocus(fieldId);
}

function closeTool(cardId) {
  tools.delete(cardId);
  drafts.delete(`edit-${cardId}`);
  drafts.delete(`reason-${cardId}`);
  drafts.delete(`translate-${cardId}`);
}

function smallButton(attrs) {
  return el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", ...attrs });
}

// What the Actions button opens: the moderation buttons for this idea's state, undo for each
// idea merged into it, and merging it into another (or the question before a merge).
function panelContent(card) {
  const tool = tools.get(card.id);
  if (tool === "edit") return [editTool(card)];
  if (tool === "hide") return [hideTool(card)];
  if (tool === "translate") return [translateTool(card)];
  const label = shortText(card.text);
  const other = otherLanguage(card.language);
  const buttons = [];
  buttons.push(smallButton({ id: `edit-button-${card.id}`, "aria-label": say("editWordingFor", { idea: label }), text: say("editWording"),
    onclick: () => openTool(card.id, "edit", `edit-${card.id}`) }));
  buttons.push(smallButton({ id: `translate-button-${card.id}`, "aria-label": say(`wordingInFor_${other}`, { idea: label }),
    text: say(`wordingIn_${other}`), onclick: () => openTool(card.id, "translate", `translate-${card.id}`) }));
  if (card.state === "visible" || card.state === "pending") {
    buttons.push(smallButton({ id: `hide-button-${card.id}`, "aria-label": say("hideFor", { idea: label }), text: say("hide"),
      onclick: () => openTool(card.id, "hide", `reason-${card.id}`) }));
  }
  if (card.state === "hidden" || card.state === "pending") {
    const pending = card.state === "pending";
    const text = pending ? say("approve") : say("putBack");
    buttons.push(smallButton({ id: `show-button-${card.id}`, "aria-label": say(pending ? "approveFor" : "putBackFor", { idea: label }), text,
      onclick: async () => {
        const reply = await act("card:show", { card_id: card.id }, card.id);
        if (reply.ok) openPanel = null;
        renderAndFocus(`actions-${card.id}`);
      } }));
  }
  for (const source of card.merged_from || []) buttons.push(undoButton(card, source));
  const merging = confirming && confirming.at === card.id ? confirmMerge(card) : mergeTool(card);
  const author = card.author_number ? say("pseudonym", { number: card.author_number }) : say("facilitator");
  const who = card.constituency ? `${author} · ${card.constituency}` : author;
  return [el("p", { class: "coprod-console-card__extra", text: say("addedBy", { who }) }),
    el("div", { class: "coprod-console-card__tools" }, buttons), merging];
}

function undoButton(card, source) {
  return smallButton({ id: `undo-merge-${source.merge_id}`, "aria-label": say("undoMergeFor", { idea: shortText(source.text) }),
    text: say("undoMerge"), onclick: async () => {
      const reply = await live.request("merge:undo", { merge_id: source.merge_id });
      if (!reply.ok) { notes.set(card.id, reply.error.message); announce(reply.error.message); render(); return; }
      upsertCard(reply.source);
      upsertCard(reply.target);
      announce(say("unmerged", { idea: shortText(reply.source.text) }));
      renderAndFocus(`actions-${card.id}`);
    } });
}

const MERGEABLE = ["visible", "pending", "hidden"];

// The merge chooser: nothing chosen at first, so a stray Enter never merges anything.
function mergeTool(card) {
  if (!MERGEABLE.includes(card.state)) return null;
  const others = state.cards.filter((other) => other.id !== card.id && MERGEABLE.includes(other.state));
  if (!others.length) return null;
  const id = `merge-${card.id}`;
  const select = el("select", { class: "nhsuk-select", id, onchange: () => drafts.set(id, select.value) },
    el("option", { value: "", text: say("chooseIdea") }),
    others.map((other) => el("option", { value: String(other.id),
      text: `${shortText(other.text)} (${titleOfRole(state.roles, other.role_id)})` })));
  select.value = drafts.get(id) || "";
  return el("form", { class: "coprod-console-card__tools", onsubmit: (event) => {
      event.preventDefault();
      askToMerge(card.id, Number(select.value) || null, card.id);
    } },
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: say("mergeInto") }), select),
    el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit", id: `merge-button-${card.id}`,
      "aria-label": say("mergeFor", { idea: shortText(card.text) }), text: say("merge") }));
}

function askToMerge(sourceId, targetId, at) {
  if (!targetId) {
    notes.set(sourceId, say("chooseFirst"));
    announce(say("chooseFirst"));
    renderAndFocus(`merge-${sourceId}`);
    return;
  }
  notes.delete(sourceId);
  announce("");
  if (!votesOpened()) {
    merge(sourceId, targetId);
    return;
  }
  confirming = { sourceId, targetId, at };
  openPanel = at;
  renderAndFocus(`merge-yes-${at}`);
}

// Asked in the page, not with window.confirm: keyboards, screen readers and tests reach it.
function confirmMerge(card) {
  const source = cardById(confirming.sourceId);
  const target = cardById(confirming.targetId);
  if (!source || !target || !MERGEABLE.includes(source.state) || !MERGEABLE.includes(target.state)) {
    confirming = null;
    return mergeTool(card);
  }
  const { sourceId, targetId } = confirming;
  const question = el("p", { class: "coprod-console-card__question", id: `merge-question-${card.id}`,
    text: say("mergeQuestion", { source: shortText(source.text), target: shortText(target.text) }) });
  return el("div", { class: "coprod-console-card__tools coprod-console-card__confirm", role: "group",
      "aria-labelledby": question.id }, question,
    el("button", { class: "nhsuk-button nhsuk-button--warning", type: "button", id: `merge-yes-${card.id}`,
      "aria-describedby": question.id, text: say("yesMerge"),
      onclick: () => { confirming = null; merge(sourceId, targetId); } }),
    smallButton({ id: `merge-cancel-${card.id}`, text: say("cancel"), onclick: () => {
      confirming = null;
      renderAndFocus(card.id === sourceId ? `merge-button-${card.id}` : `actions-${card.id}`);
    } }));
}

async function merge(sourceId, targetId) {
  const reply = await live.request("card:merge", { source_id: sourceId, target_id: targetId });
  if (!reply.ok) {
    notes.set(sourceId, reply.error.message);
    announce(reply.error.message);
    render();
    return;
  }
  const source = cardById(sourceId);
  if (source) { source.state = "merged"; source.merged_into = targetId; }
  notes.delete(sourceId);
  upsertCard(reply.target);
  announce(say("merged", { target: shortText(reply.target.text) }));
  openPanel = null;
  renderAndFocus(`actions-${targetId}`); // the merged idea's row is gone: its target takes focus
}

// Drag and drop is a mouse extra for the same merge (and asks the same question).
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
    if (source && source !== card.id) askToMerge(source, card.id, card.id);
  });
}

// Kind · role · group · state: what a facilitator scans for. Who added it is in the actions.
function metaText(card) {
  const meta = [LABELS.kinds[card.kind], titleOfRole(state.roles, card.role_id), card.constituency || say("facilitator"),
    LABELS.card_states[card.state]];
  // Said only when the idea is in the other language from the page's.
  if (card.language && LANG_ATTRIBUTE[card.language] !== document.documentElement.lang) meta.push(say(`typedIn_${card.language}`));
  if (card.entered_by_helper) meta.push(say("byHelper"));
  if (card.revisions > 1) meta.push(say("edited", { count: card.revisions - 1 }));
  return meta.join(" · ");
}

// Lines under the row only when there is something to say: why it is hidden, what was merged in.
function extraLines(card) {
  const lines = [];
  // Its wording in the other language, marked as that language for screen readers.
  if (card.translation) {
    lines.push(el("p", { class: "coprod-console-card__extra coprod-console-card__translation",
      lang: LANG_ATTRIBUTE[otherLanguage(card.language)], text: card.translation }));
  }
  // Where it came from: an earlier session (with its result there) or the evidence pack.
  for (const tag of originTags(card)) lines.push(el("p", { class: "coprod-console-card__extra coprod-origin", text: tag }));
  if (card.state === "hidden" && card.hidden_reason) lines.push(el("p", { class: "coprod-console-card__extra", text: say("reason", { reason: card.hidden_reason }) }));
  if (card.merged_from && card.merged_from.length) {
    lines.push(el("div", { class: "coprod-console-card__extra" }, el("ul", {}, card.merged_from.map((source) =>
      el("li", { text: (source.constituency ? say("mergedInFrom", { idea: source.text, group: source.constituency }) : say("mergedIn", { idea: source.text })) })))));
  }
  if (notes.has(card.id)) lines.push(el("p", { class: "nhsuk-error-message", text: notes.get(card.id) }));
  return lines;
}

function actionsPanel(card) {
  const isOpen = openPanel === card.id;
  const panel = el("div", { class: "coprod-console-card__panel", id: `actions-panel-${card.id}`, hidden: !isOpen });
  if (isOpen) panel.append(...panelContent(card).filter(Boolean));
  return panel;
}

function cardItem(card) {
  const isOpen = openPanel === card.id;
  const item = el("li", { class: "coprod-console-card", "data-state": card.state, "data-card": String(card.id),
      onkeydown: (event) => {
        if (event.key !== "Escape" || openPanel !== card.id) return;
        event.preventDefault();
        closePanel(card.id); // Escape closes the actions and returns to their button
      } },
    el("div", { class: "coprod-console-card__row" },
      el("p", { class: "coprod-console-card__body" },
        el("span", { class: "coprod-console-card__text", lang: LANG_ATTRIBUTE[card.language], text: card.text }), " ",
        el("span", { class: "coprod-console-card__meta", text: metaText(card) })),
      el("button", { class: "coprod-console-card__actions", type: "button", id: `actions-${card.id}`,
        "aria-expanded": String(isOpen), "aria-controls": `actions-panel-${card.id}`,
        // The whole idea, not a cut: two ideas often start the same (that is why they get merged).
        "aria-label": say("actionsFor", { idea: card.text }), text: say("actions"),
        onclick: () => togglePanel(card.id) })),
    extraLines(card), actionsPanel(card));
  dragTarget(item, card);
  return item;
}

function phaseControls() {
  const phases = state.phases;
  const index = phases.findIndex((phase) => phase.value === state.workshop.phase);
  const feedback = document.getElementById("phase-feedback");
  const move = (target) => async () => {
    const reply = await live.request("phase:set", { phase: target.value });
    feedback.textContent = reply.ok ? say("movedTo", { phase: phaseLabel(target.value) }) : reply.error.message;
    if (!reply.ok) return;
    state.workshop = { ...state.workshop, ...reply.workshop };
    render();
    // At the first or last phase one of the two buttons is gone: keep focus in the bar.
    if (!document.activeElement || document.activeElement === document.body) {
      const other = document.getElementById("phase-next") || document.getElementById("phase-back");
      if (other) other.focus();
    }
  };
  const buttons = [];
  if (index > 0) buttons.push(el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: "phase-back",
    text: say("backTo", { phase: phaseLabel(phases[index - 1].value) }), onclick: move(phases[index - 1]) }));
  if (index >= 0 && index < phases.length - 1) buttons.push(el("button", { class: "nhsuk-button", type: "button", id: "phase-next",
    text: say("nextPhase", { phase: phaseLabel(phases[index + 1].value) }), onclick: move(phases[index + 1]) }));
  return el("div", { class: "coprod-actions" }, buttons);
}

function render() {
  redraw(draw);
}

function draw() {
  document.getElementById("phase-label").textContent = phaseLabel(state.workshop.phase);
  document.getElementById("phase-controls").replaceChildren(phaseControls());
  renderVotePanel();
  const cards = [...state.cards].reverse().filter((card) => card.state !== "merged");
  if (openPanel !== null && !cards.some((card) => card.id === openPanel)) openPanel = null;
  document.getElementById("cards").replaceChildren(...cards.map(cardItem));
  document.getElementById("cards-empty").hidden = cards.length > 0;
  document.getElementById("card-count").textContent = cards.length ? `(${cards.length})` : "";
  document.getElementById("counts").replaceChildren(...state.counts.map((group) =>
    el("li", { text: group.target ? say("groupOfTarget", group) : `${group.name}: ${group.count}` })));
  document.getElementById("participants").replaceChildren(...state.participants.map(personItem));
  renderJoining();
}

// ---- Joining: the pace, the warnings, and the room's lock ----

// Joins in the last minute, as of now: the server sent how many seconds ago each recent join
// was, so the count falls as the minute passes without asking the server again.
function lastMinute(joining) {
  const elapsed = (performance.now() - joiningAt) / 1000;
  return joining.recent.reduce((sum, [age, count]) => sum + (age + elapsed < 60 ? count : 0), 0);
}

function renderJoining() {
  const joining = state.joining;
  if (!joining) return;
  document.getElementById("joining-figures").textContent =
    `${say("lastMinute", { count: lastMinute(joining) })} ${joining.expected_size
      ? say("hereOfExpected", { total: joining.total, expected: joining.expected_size }) : say("here", { total: joining.total })}`;
  const warning = joining.warnings.map((name) => say(`warning_${name}`,
    { busiest: joining.busiest_minute, total: joining.total, expected: joining.expected_size })).join(" ");
  const region = document.getElementById("joining-warning");
  // Written only when it changes, so a screen reader says it once, not at every join.
  if (region.textContent !== warning) region.textContent = warning;
  document.getElementById("room-state").textContent = joining.locked ? say("roomLocked") : say("roomOpen");
  const button = document.getElementById("room-lock");
  button.textContent = joining.locked ? say("openRoom") : say("lockRoom");
  button.dataset.locked = String(joining.locked);
}

document.getElementById("room-lock").addEventListener("click", async () => {
  const locked = !(state.joining && state.joining.locked);
  const reply = await live.request("room:lock", { locked });
  document.getElementById("room-feedback").textContent = reply.ok ? (reply.locked ? say("lockedNow") : say("openNow")) : reply.error.message;
  if (reply.ok && state.joining) { state.joining = { ...state.joining, locked: reply.locked }; renderJoining(); }
});
// The last minute's count falls as time passes, even when nobody joins.
setInterval(() => { if (state.joining) renderJoining(); }, 5000);

function personItem(person) {
  const text = `${pseudonym(person)}${person.nickname ? ` (${person.nickname})` : ""} · ${person.constituency}` +
    (person.on_paper ? ` · ${say("onPaper")}` : "") + (person.removed ? ` · ${say("takenOut")}` : "");
  if (person.removed) return el("li", {}, text);
  return el("li", {}, text, person.nickname ? " " : null, person.nickname ? el("button", {
    class: "coprod-link-button", type: "button", id: `forget-${person.id}`,
    // The name heard starts with the words seen (WCAG label in name).
    "aria-label": say("removeNameOf", { who: pseudonym(person) }), text: say("removeName"),
    onclick: async () => {
      const reply = await live.request("participant:forget", { participant_id: person.id });
      if (reply.ok) { upsert(state.participants, reply.participant); render(); }
    } }) : null, " ", takingOut === person.id ? takeOutQuestion(person) : el("button", {
    class: "coprod-link-button", type: "button", id: `take-out-${person.id}`,
    "aria-label": say("takeOutOf", { who: pseudonym(person) }), text: say("takeOut"),
    onclick: () => { takingOut = person.id; render(); },
  }));
}

// Asked in the page, as merges are: taking someone out cannot be undone from the console.
function takeOutQuestion(person) {
  const feedback = el("span", { role: "status" });
  return el("span", {}, say("takeOutQuestion", { who: pseudonym(person) }), " ",
    el("button", { class: "coprod-link-button", type: "button", id: `take-out-yes-${person.id}`, text: say("yesTakeOut"),
      onclick: async () => {
        const reply = await live.request("participant:remove", { participant_id: person.id });
        if (!reply.ok) { feedback.textContent = reply.error.message; return; }
        takingOut = null;
        upsert(state.participants, reply.participant);
        render();
      } }), " ",
    el("button", { class: "coprod-link-button", type: "button", text: say("cancel"),
      onclick: () => { takingOut = null; render(); } }), " ", feedback);
}

// ---- The bar: the wall's pages, and keeping focused things out from under the bar ----

for (const button of document.querySelectorAll("#console-bar [data-action]")) {
  button.addEventListener("click", async () => {
    const action = button.dataset.action;
    const reply = await live.request("wall:page", { action });
    document.getElementById("phase-feedback").textContent = reply.ok ? say(`wall_${action}`) : reply.error.message;
  });
}

// While the bar stays at the top of the window, whatever gets focus scrolls into view below it
// (WCAG 2.2 "focus not obscured"), not underneath.
const bar = document.getElementById("console-bar");
function padForBar() {
  const sticky = getComputedStyle(bar).position === "sticky";
  document.documentElement.style.scrollPaddingTop = sticky ? `${bar.offsetHeight + 8}px` : "";
}
new ResizeObserver(padForBar).observe(bar);
window.addEventListener("resize", padForBar);

// ---- Countdown ----

document.getElementById("countdown-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const minutes = Number(document.getElementById("countdown-minutes").value);
  const reply = await live.request("countdown:set", { minutes });
  document.getElementById("phase-feedback").textContent = reply.ok ? say("countdownStarted", { count: minutes }) : reply.error.message;
  if (reply.ok) countdown.set(reply.countdown);
});
document.getElementById("countdown-stop").addEventListener("click", async () => {
  const reply = await live.request("countdown:set", { minutes: 0 });
  document.getElementById("phase-feedback").textContent = reply.ok ? say("countdownStopped") : reply.error.message;
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
  const [budgetGroup, budget] = numberField("round-budget", say("budget"), 5, 1, 20);
  const [maxGroup, maxPerCard] = numberField("round-max", say("mostPerIdea"), 2, 1, 20);
  const modes = [["dots", say("mode_dots")], ["agree", say("mode_agree")]];
  const roleSelect = el("select", { class: "nhsuk-select", id: "round-role" },
    el("option", { value: "", text: say("everyIdea") }),
    state.roles.map((role) => el("option", { value: String(role.id), text: say("onlyFor", { role: role.title }) })));
  const hidden = el("input", { class: "nhsuk-checkboxes__input", type: "checkbox", id: "round-hidden", checked: true });
  return el("form", { class: "coprod-open-round", onsubmit: async (event) => {
      event.preventDefault();
      const mode = document.querySelector("input[name=round-mode]:checked").value;
      const payload = { mode, hide_until_reveal: hidden.checked, role_id: roleSelect.value ? Number(roleSelect.value) : null };
      if (mode === "dots") Object.assign(payload, { budget: Number(budget.value), max_per_card: Number(maxPerCard.value) });
      const reply = await live.request("round:open", payload);
      document.getElementById("vote-feedback").textContent = reply.ok ? say("voteOpened") : reply.error.message;
      // The form goes once the vote is open: focus moves to the next thing to press.
      if (reply.ok) { state.round = reply.round; state.results = null; renderAndFocus("round-close"); }
    } },
    el("fieldset", { class: "nhsuk-fieldset" },
      el("legend", { class: "nhsuk-fieldset__legend nhsuk-fieldset__legend--s", text: say("howPeopleVote") }),
      el("div", { class: "nhsuk-radios nhsuk-radios--inline" }, modes.map(([value, text], index) =>
        el("div", { class: "nhsuk-radios__item" },
          el("input", { class: "nhsuk-radios__input", type: "radio", name: "round-mode", id: `round-mode-${value}`, value, checked: index === 0 }),
          el("label", { class: "nhsuk-label nhsuk-radios__label", for: `round-mode-${value}`, text }))))),
    budgetGroup, maxGroup,
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: "round-role", text: say("whichIdeas") }), roleSelect),
    el("div", { class: "nhsuk-checkboxes" }, el("div", { class: "nhsuk-checkboxes__item" }, hidden,
      el("label", { class: "nhsuk-label nhsuk-checkboxes__label", for: "round-hidden", text: say("keepHidden") }))),
    el("button", { class: "nhsuk-button", type: "submit", id: "round-open", text: say("openVote") }));
}

// After closing, focus moves to the button that shows the results; after showing them, to the next phase.
function roundButton(id, text, event, done, secondary = false) {
  return el("button", { class: `nhsuk-button${secondary ? " nhsuk-button--secondary" : ""}`, type: "button", id, text,
    onclick: async () => {
      const reply = await live.request(event, { round_id: state.round.id });
      document.getElementById("vote-feedback").textContent = reply.ok ? done : reply.error.message;
      if (reply.ok) {
        if (reply.round) state.round = reply.round;
        if (reply.results) { state.results = reply.results; state.round = reply.results.round; }
        render();
        const next = document.getElementById("round-reveal") || document.getElementById("phase-next");
        if (next) next.focus();
      }
    } });
}

// An idea's wording, and under it its wording in the other language when it has one, each
// marked with its language.
function wordings(card) {
  const typed = el("span", { lang: LANG_ATTRIBUTE[card.language], text: card.text });
  if (!card.translation) return [typed];
  return [typed, el("span", { class: "coprod-tally__translation",
    lang: LANG_ATTRIBUTE[otherLanguage(card.language)], text: card.translation })];
}

// One group's support for an idea: "67% (4/6)", and how many of the votes a helper entered.
function tallyCell(group) {
  const values = { share: `${group.share}%`, supporters: group.supporters, voters: group.voters, helped: group.entered_by_helper };
  return say(group.entered_by_helper ? "tallyCellHelped" : "tallyCell", values);
}

function tallyTable(results) {
  if (!results || !results.cards.length) return el("p", { text: say("noVotes") });
  const groups = results.cards[0].groups.map((group) => group.name);
  // Many groups make the table wide: it scrolls inside its own box (focusable, named by its
  // caption), never the page.
  return el("div", { class: "coprod-tally-scroll", id: "tally-region", tabindex: "0", role: "region",
    "aria-labelledby": "tally-caption" }, el("table", { class: "nhsuk-table coprod-tally" },
    el("caption", { class: "nhsuk-table__caption", id: "tally-caption", text: say("tallyCaption", { number: results.round.number }) }),
    el("thead", { class: "nhsuk-table__head" }, el("tr", { class: "nhsuk-table__row" },
      el("th", { class: "nhsuk-table__header", scope: "col", text: say("idea") }),
      el("th", { class: "nhsuk-table__header", scope: "col", text: say("status") }),
      groups.map((group) => el("th", { class: "nhsuk-table__header", scope: "col", text: group })))),
    el("tbody", { class: "nhsuk-table__body" }, results.cards.map((card) => el("tr", { class: "nhsuk-table__row" },
      el("td", { class: "nhsuk-table__cell" }, wordings(card)),
      el("td", { class: "nhsuk-table__cell", text: LABELS.consensus[card.status] }),
      card.groups.map((group) => el("td", { class: "nhsuk-table__cell",
        text: tallyCell(group) })))))));
}

function renderVotePanel() {
  const round = state.round;
  const phase = state.workshop.phase;
  const controls = [];
  if (round && round.state === "open") {
    controls.push(el("p", { text: say("voteOpen", { number: round.number, mode: say(`mode_${round.mode}`) }) }),
      roundButton("round-close", say("closeVote"), "round:close", say("voteClosed")));
  } else {
    if (round && !round.revealed) {
      controls.push(el("p", { text: say("notShownYet", { number: round.number }) }),
        roundButton("round-reveal", say("showResults"), "round:reveal", say("resultsShown"), phase !== "results"));
    }
    if (phase === "vote") controls.push(el("h3", { class: "nhsuk-heading-s", text: say("openVoteHeading") }), openRoundForm());
    else if (!round) controls.push(el("p", { text: say("moveToVote") }));
  }
  document.getElementById("vote-controls").replaceChildren(...controls);
  document.getElementById("tally").replaceChildren(round ? tallyTable(state.results) : "");
}
