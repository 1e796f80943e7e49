// The wall: cards grouped by role and kind, join code, and live counts. No controls.
import { Live, el, statusText } from "./live.js";

const root = document.getElementById("projector");
let state = { roles: [], cards: [], counts: [], workshop: {} };
const fresh = new Set();

new Live({
  workshop: Number(root.dataset.workshop),
  view: "projector",
  onState: (next) => {
    state = next;
    render();
  },
  onEvent: (name, data) => {
    if (name === "card.added" || name === "card.changed") upsertCard(data);
    else if (name === "card.removed") state.cards = state.cards.filter((card) => card.id !== data.id);
    else if (name === "counts") state.counts = data.counts;
    else if (name === "phase.changed") state.workshop = { ...state.workshop, ...data.workshop };
    else if (name === "role.changed") {
      state.roles = state.roles.filter((role) => role.id !== data.id);
      if (!data.retired) state.roles.push(data);
    } else if (name === "workshop.changed" && data.title) state.workshop.title = data.title;
    render();
  },
  onStatus: (status, message) => {
    const node = document.getElementById("connection");
    node.textContent = status === "live" ? "Live" : statusText(status, message);
    node.dataset.status = status;
  },
});

function upsertCard(card) {
  const existing = state.cards.find((item) => item.id === card.id);
  if (existing) Object.assign(existing, card);
  else {
    state.cards.push(card);
    fresh.add(card.id);
  }
}

function cardList(cards, kind) {
  return el("ul", { class: "wall__cards" }, cards.filter((card) => card.kind === kind).map((card) =>
    el("li", { class: `wall__card wall__card--${kind}${fresh.has(card.id) ? " wall__card--new" : ""}`, text: card.text })));
}

function roleColumn(title, cards) {
  return el("section", { class: "wall__role" },
    el("h2", { text: title }),
    el("h3", { text: "Responsibilities" }), cardList(cards, "responsibility"),
    el("h3", { text: "Competences" }), cardList(cards, "competence"));
}

function render() {
  document.getElementById("title").textContent = state.workshop.title || "";
  document.getElementById("phase-label").textContent = state.workshop.phase_label || "";
  const columns = state.roles.map((role) => roleColumn(role.title, state.cards.filter((card) => card.role_id === role.id)));
  const general = state.cards.filter((card) => !state.roles.some((role) => role.id === card.role_id));
  if (general.length) columns.push(roleColumn("Any role", general));
  document.getElementById("roles").replaceChildren(...columns);
  document.getElementById("counts").replaceChildren(...state.counts.map((group) =>
    el("li", {}, el("span", { text: group.name }), el("strong", { text: String(group.count) }))));
  fresh.clear();
}
