// The wall: cards grouped by role and kind, join code, live counts, vote progress and, once
// revealed, results per group with bars and the numbers as text. No controls.
import { Countdown } from "./countdown.js";
import { LABELS, Live, el, statusText, upsert, withRole } from "./live.js";

const root = document.getElementById("projector");
let state = { roles: [], cards: [], counts: [], workshop: {}, round: null, results: null, progress: null, outline: null };
const fresh = new Set();
const countdown = new Countdown(document.getElementById("countdown"), { prefix: "· " });

new Live({
  workshop: Number(root.dataset.workshop),
  view: "projector",
  onState: (next) => {
    state = next;
    countdown.set(next.countdown);
    render();
  },
  onEvent: (name, data) => {
    if (name === "card.added" || name === "card.changed") upsertCard(data);
    else if (name === "card.removed") state.cards = state.cards.filter((card) => card.id !== data.id);
    else if (name === "counts") state.counts = data.counts;
    else if (name === "phase.changed") { state.workshop = { ...state.workshop, ...data.workshop }; countdown.set(null); }
    else if (name === "role.changed") state.roles = withRole(state.roles, data);
    else if (name === "workshop.changed" && data.title) state.workshop.title = data.title;
    else if (name === "round.opened") { state.round = data.round; state.results = null; state.progress = null; }
    else if (name === "round.closed") state.round = data.round;
    else if (name === "progress") state.progress = data;
    else if (name === "tally" || name === "results.revealed") {
      state.results = name === "tally" ? data : data.results;
      state.round = state.results.round;
    } else if (name === "countdown.set") countdown.set(data);
    else if (name === "outline.shown") state.outline = data.outline;
    else if (name === "outline.changed" && state.outline && data.role_id === state.outline.role_id) state.outline = data;
    render();
  },
  onStatus: (status, message) => {
    const node = document.getElementById("connection");
    node.textContent = status === "live" ? "Live" : statusText(status, message);
    node.dataset.status = status;
  },
});

function upsertCard(card) {
  if (upsert(state.cards, card)) fresh.add(card.id); // new on the wall: highlight it briefly
}

function cardList(cards, kind) {
  return el("ul", { class: "wall__cards" }, cards.filter((card) => card.kind === kind).map((card) =>
    el("li", { class: `wall__card wall__card--${kind}${fresh.has(card.id) ? " wall__card--new" : ""}`, text: card.text })));
}

function roleColumn(title, cards) {
  return el("section", { class: "wall__role" },
    el("h2", { text: title }),
    el("h3", { text: LABELS.kind_headings.responsibility }), cardList(cards, "responsibility"),
    el("h3", { text: LABELS.kind_headings.competence }), cardList(cards, "competence"));
}

function groupBar(group) {
  const bar = el("span", { class: "wall__bar-fill" });
  bar.style.width = `${group.share}%`; // set from script: the page allows no inline styles
  const numbers = group.counted
    ? `${group.supporters} of ${group.voters} (${group.share}%)`
    : `${group.voters} voted, too few to count`;
  return el("li", { class: `wall__group${group.counted ? "" : " wall__group--uncounted"}` },
    el("span", { class: "wall__group-name", text: group.name }),
    el("span", { class: "wall__bar", "aria-hidden": "true" }, bar),
    el("span", { class: "wall__group-numbers", text: numbers }));
}

function renderResults() {
  const section = document.getElementById("results");
  const results = state.results;
  section.hidden = !results;
  if (!results) return;
  const rule = results.rule;
  document.getElementById("results-rule").textContent =
    `${LABELS.consensus.agreed}: at least ${rule.threshold}% support in every group with ${rule.min_voters} or more voters. ` +
    `${LABELS.consensus.divisive}: groups ${rule.divisive_gap} or more points apart.`;
  document.getElementById("results-list").replaceChildren(...results.cards.map((card) =>
    el("li", { class: `wall__result wall__result--${card.status}` },
      el("p", { class: "wall__result-head" },
        el("span", { class: "wall__status", text: LABELS.consensus[card.status] }),
        el("span", { class: "wall__result-text", text: card.text })),
      el("ul", { class: "wall__groups" }, card.groups.map(groupBar)))));
}

function renderVoting() {
  const round = state.round;
  const voting = round && round.state === "open";
  document.getElementById("voting").hidden = !voting;
  if (!voting) return;
  const voters = (state.progress && state.progress.voters) || (state.results && state.results.voters) || {};
  const parts = Object.entries(voters).map(([group, count]) => `${group}: ${count}`);
  document.getElementById("progress").textContent = parts.length
    ? `People who have voted so far. ${parts.join(" · ")}` : "Nobody has voted yet.";
}

function renderOutline() {
  const outline = state.outline;
  const showing = Boolean(outline) && state.workshop.phase === "build";
  document.getElementById("outline").hidden = !showing;
  if (!showing) return false;
  const content = outline.content;
  document.getElementById("outline-title").textContent = `${content.title}: role outline`;
  document.getElementById("outline-status").textContent = outline.status === "agreed"
    ? `Version ${outline.number}: agreed` : `Version ${outline.number}: draft, being built now`;
  document.getElementById("outline-sections").replaceChildren(...LABELS.sections.map(([key, title]) =>
    el("section", { class: "wall__role" }, el("h3", { text: title }),
      content[key].length ? el("ol", { class: "wall__cards" }, content[key].map((item) => el("li", { class: "wall__card", text: item.text })))
        : el("p", { class: "wall__empty", text: "Nothing yet" }))));
  return true;
}

function render() {
  document.getElementById("title").textContent = state.workshop.title || "";
  document.getElementById("phase-label").textContent = state.workshop.phase_label || "";
  renderVoting();
  renderResults();
  const showingResults = Boolean(state.results) && ["vote", "results"].includes(state.workshop.phase);
  const showingOutline = renderOutline();
  const roles = document.getElementById("roles");
  roles.hidden = showingResults || showingOutline;
  const columns = state.roles.map((role) => roleColumn(role.title, state.cards.filter((card) => card.role_id === role.id)));
  const general = state.cards.filter((card) => !state.roles.some((role) => role.id === card.role_id));
  if (general.length) columns.push(roleColumn("Any role", general));
  roles.replaceChildren(...columns);
  document.getElementById("counts").replaceChildren(...state.counts.map((group) =>
    el("li", {}, el("span", { text: group.name }), el("strong", { text: String(group.count) }))));
  fresh.clear();
}
