// The wall: one 16:9 screen read from the back of a room. Each phase has its own layout (lobby:
// the code and who joined; ideas: every role side by side; vote: progress only; results: one
// compact row per idea, where groups differ first; build: the outline being built). Nothing
// ever scrolls: what does not fit is laid out in the browser, split into pages that fit, and
// the pages turn on their own. The facilitator's console can hold or turn them (`wall.page`).
// No controls.
import { Countdown } from "./countdown.js";
import { LABELS, Live, el, laterRound, statusText, upsert, withRole } from "./live.js";

// Every sentence this page writes (issue 13 moves them into the catalogue in one go).
const TEXT = {
  accessEnded: "This screen has been closed. Please reload the page or sign in again.",
  page: (page, pages) => `Page ${page} of ${pages}`,
  held: "Held",
  live: "Live",
  voteNow: "Vote on your phone now",
  voteClosed: "Voting has closed. The results will be shown soon.",
  voted: (group, voted, joined) => (joined === undefined ? `${group}: ${voted} voted` : `${group}: ${voted} of ${joined} voted`),
  nobodyYet: "Nobody has voted yet.",
  resultsSoon: "The results will be shown here soon.",
  closed: "This workshop has finished. Thank you for taking part.",
  status: "Status",
  idea: "Idea",
  supporters: (supporters, voters) => `${supporters} of ${voters}`,
  tooFew: "too few to count",
  rule: (rule) => `${LABELS.consensus.agreed}: at least ${rule.threshold}% support in every group with ` +
    `${rule.min_voters} or more voters. ${LABELS.consensus.divisive}: groups ${rule.divisive_gap} or more points apart.`,
  ideaCount: (count) => (count === 1 ? "1 idea" : `${count} ideas`),
  outlineTitle: (title) => `${title}: role outline`,
  outlineAgreed: (number) => `Version ${number}: agreed`,
  outlineDraft: (number) => `Version ${number}: draft, being built now`,
  nothingYet: "Nothing yet",
};
// Each page stays up this long before the next: long enough to read a page of ideas aloud.
const PAGE_SECONDS = 15;
// Results are discussed where groups differ first, then what was agreed, then the rest.
const RESULT_ORDER = ["divisive", "agreed", "open"];
const KINDS = ["responsibility", "competence"];

const root = document.getElementById("projector");
let state = { roles: [], cards: [], counts: [], workshop: {}, round: null, results: null, progress: null, outline: null, joining: { locked: false } };
const fresh = new Set();
const countdown = new Countdown(document.getElementById("countdown"), { prefix: "· " });
const paging = { layout: null, page: 0, pages: 1, held: false, timer: null, show: null };

const live = new Live({
  workshop: Number(root.dataset.workshop),
  view: "projector",
  accessEnded: TEXT.accessEnded,
  onState: (next) => {
    state = next;
    countdown.set(next.countdown);
    scheduleRender();
  },
  onEvent: (name, data) => {
    if (name === "wall.page") turnPage(data.action);
    else apply(name, data);
    scheduleRender();
  },
  onStatus: (status, message) => {
    const node = document.getElementById("connection");
    node.textContent = status === "live" ? TEXT.live : statusText(status, message);
    node.dataset.status = status;
    scheduleRender(); // the status line's length can change what fits
  },
});

function apply(name, data) {
  if (name === "card.added" || name === "card.changed") {
    if (upsert(state.cards, data)) fresh.add(data.id); // new on the wall: highlight it briefly
  } else if (name === "card.removed") state.cards = state.cards.filter((card) => card.id !== data.id);
  else if (name === "counts") state.counts = data.counts;
  else if (name === "joining") state.joining = data;
  else if (name === "phase.changed") { state.workshop = { ...state.workshop, ...data.workshop }; countdown.set(null); }
  else if (name === "role.changed") state.roles = withRole(state.roles, data);
  else if (name === "workshop.changed" && data.title) state.workshop.title = data.title;
  else if (name === "round.opened") { state.round = data.round; state.results = null; state.progress = null; }
  else if (name === "round.closed") state.round = data.round;
  else if (name === "progress") state.progress = data;
  else if (name === "tally" || name === "results.revealed") {
    const results = name === "tally" ? data : data.results;
    const round = laterRound(state.round, results.round);
    if (round.id === results.round.id) state.results = results; // an older vote's tally is not news
    state.round = round;
  } else if (name === "countdown.set") countdown.set(data);
  else if (name === "outline.shown") state.outline = data.outline;
  else if (name === "outline.changed" && state.outline && data.role_id === state.outline.role_id) state.outline = data;
}

// Many updates can arrive in one frame (a tally every tick): lay out once per frame.
let pending = false;
function scheduleRender() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    render();
  });
}
window.addEventListener("resize", scheduleRender);

// Which layout the room needs now.
function layoutNow() {
  const phase = state.workshop.phase;
  const round = state.round;
  if (phase === "lobby") return "lobby";
  if (phase === "closed") return "closed";
  if (phase === "build" && state.outline) return "outline";
  if (round && round.state === "open") return "voting";
  if (state.results && ["vote", "results", "build"].includes(phase)) return "results";
  if (round && (phase === "vote" || phase === "results")) return phase === "vote" ? "voting" : "waiting";
  return "ideas";
}

const SECTIONS = { ideas: "ideas", voting: "voting", results: "results", outline: "outline", closed: "message", waiting: "message" };

function render() {
  document.getElementById("title").textContent = state.workshop.title || "";
  document.getElementById("phase-label").textContent = state.workshop.phase_label || "";
  renderCounts();
  renderJoinPanel();
  const layout = layoutNow();
  root.dataset.layout = layout;
  root.classList.toggle("wall--lobby", layout === "lobby");
  document.getElementById("stage").hidden = layout === "lobby";
  for (const id of new Set(Object.values(SECTIONS))) document.getElementById(id).hidden = SECTIONS[layout] !== id;
  const regions = (DRAW[layout] || (() => []))();
  paginateAll(layout, regions);
  fresh.clear();
}

// While the room is locked the wall stops inviting people to join: no code, no QR code, a kind
// line instead (people who joined before get back in without them).
function renderJoinPanel() {
  const locked = Boolean(state.joining && state.joining.locked);
  document.getElementById("join-how").hidden = locked;
  document.getElementById("join-qr").hidden = locked;
  document.getElementById("room-locked").hidden = !locked;
}

function renderCounts() {
  document.getElementById("counts").replaceChildren(...state.counts.map((group) =>
    el("li", {}, el("span", { text: group.name }), el("strong", { text: String(group.count) }))));
}

// ---- Laying out pages -----------------------------------------------------------------------
// A region is a list of items poured into its slots (boxes of fixed size) in order: when an
// item makes a slot overflow it moves to the next slot, and after the last slot to a new page.
// `put(slot, item)` adds an item's nodes and returns how to take them out again.

function overflows(box) {
  return box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
}

function paginate(region) {
  const { slots, items, put } = region;
  const empty = () => slots.map(() => []);
  const clear = () => slots.forEach((slot) => slot.body.replaceChildren());
  const pages = [];
  let page = empty();
  let index = 0;
  clear();
  for (const item of items) {
    let undo = put(slots[index].body, item);
    // An item alone in a slot stays there even if too big: it cannot be split.
    while (overflows(slots[index].box) && page[index].length) {
      undo();
      index += 1;
      if (index === slots.length) {
        pages.push(page);
        page = empty();
        index = 0;
        clear();
      }
      undo = put(slots[index].body, item);
    }
    page[index].push(item);
  }
  pages.push(page);
  return pages;
}

function showPage(regions, number) {
  for (const region of regions) {
    const page = region.pages[number] || region.slots.map(() => []);
    region.slots.forEach((slot, index) => {
      slot.body.replaceChildren();
      for (const item of page[index]) region.put(slot.body, item);
    });
  }
}

function paginateAll(layout, regions) {
  for (const region of regions) region.pages = paginate(region);
  const pages = Math.max(1, ...regions.map((region) => region.pages.length));
  // A live update keeps the page on the wall; only a new layout, or a page that is gone,
  // starts again from the first.
  if (layout !== paging.layout) paging.page = 0;
  else if (paging.page >= pages) paging.page = pages - 1;
  paging.layout = layout;
  paging.pages = pages;
  paging.show = (number) => showPage(regions, number);
  paging.show(paging.page);
  drawPageNumber();
  if (!paging.timer) schedulePageTurn();
}

function drawPageNumber() {
  const node = document.getElementById("page-number");
  node.hidden = paging.pages < 2;
  node.replaceChildren(TEXT.page(paging.page + 1, paging.pages),
    ...(paging.held ? [" · ", el("strong", { text: TEXT.held })] : []));
}

function schedulePageTurn() {
  clearTimeout(paging.timer);
  paging.timer = paging.held ? null : setTimeout(() => {
    paging.timer = null;
    if (paging.pages > 1) moveBy(1);
    schedulePageTurn();
  }, PAGE_SECONDS * 1000);
}

function moveBy(step) {
  const before = paging.page;
  paging.page = (paging.page + step + paging.pages) % paging.pages;
  if (paging.show) paging.show(paging.page);
  drawPageNumber();
  if (paging.page !== before) {
    const stage = document.getElementById("stage");
    stage.classList.remove("wall__stage--turned");
    void stage.offsetWidth; // restart the (motion-permitting) fade-in
    stage.classList.add("wall__stage--turned");
  }
}

// What the console asked: hold, play, next or previous (turning restarts the page's time).
function turnPage(action) {
  if (action === "hold") paging.held = true;
  else if (action === "play") paging.held = false;
  else if (action === "next") moveBy(1);
  else if (action === "previous") moveBy(-1);
  drawPageNumber();
  schedulePageTurn();
}

// Put a node in a slot under a heading for its group (a kind of idea, an outline section),
// starting the group's list when the slot has none yet.
function putGrouped(slot, group, heading, node, listTag = "ul") {
  let block = slot.lastElementChild;
  let started = false;
  if (!block || block.dataset.group !== group) {
    block = el("section", { class: "wall__block", "data-group": group },
      el("h3", { class: "wall__block-title", text: heading }), el(listTag, { class: "wall__cards" }));
    slot.append(block);
    started = true;
  }
  block.lastElementChild.append(node);
  return () => {
    node.remove();
    if (started) block.remove();
  };
}

// ---- The layouts ------------------------------------------------------------------------------

const DRAW = { ideas: drawIdeas, voting: drawVoting, results: drawResults, outline: drawOutline,
  closed: () => drawMessage(TEXT.closed), waiting: () => drawMessage(TEXT.resultsSoon) };

function roleColumns() {
  const columns = state.roles.map((role) => ({ title: role.title, cards: state.cards.filter((card) => card.role_id === role.id) }));
  const general = state.cards.filter((card) => !state.roles.some((role) => role.id === card.role_id));
  if (general.length) columns.push({ title: LABELS.any_role.label, cards: general });
  return columns;
}

function drawIdeas() {
  const columns = roleColumns();
  const nodes = columns.map((column) => {
    const body = el("div", { class: "wall__role-body" });
    const section = el("section", { class: "wall__role" },
      el("h2", { class: "wall__role-title" }, column.title, " ",
        el("span", { class: "wall__role-count", text: `(${TEXT.ideaCount(column.cards.length)})` })),
      body);
    return { section, body };
  });
  document.getElementById("roles").replaceChildren(...nodes.map((node) => node.section));
  return columns.map((column, index) => ({
    slots: [{ box: nodes[index].body, body: nodes[index].body }],
    items: KINDS.flatMap((kind) => column.cards.filter((card) => card.kind === kind)),
    put: (slot, card) => putGrouped(slot, card.kind, LABELS.kind_headings[card.kind],
      el("li", { class: `wall__card wall__card--${card.kind}${fresh.has(card.id) ? " wall__card--new" : ""}`, text: card.text })),
  }));
}

function drawVoting() {
  const open = state.round && state.round.state === "open";
  document.getElementById("voting-title").textContent = open ? TEXT.voteNow : TEXT.voteClosed;
  const voters = (state.progress && state.progress.voters) || (state.results && state.results.voters) || {};
  const joined = Object.fromEntries(state.counts.map((group) => [group.name, group.count]));
  const rows = Object.entries(voters).map(([group, count]) => el("li", { text: TEXT.voted(group, count, joined[group]) }));
  document.getElementById("progress").replaceChildren(...(rows.length ? rows : [el("li", { text: TEXT.nobodyYet })]));
  return [];
}

function drawMessage(text) {
  document.getElementById("message-title").textContent = text;
  return [];
}

// Divisive ideas first, then agreed, then open; the server's order (best-backed first) within.
function orderedResults(cards) {
  return RESULT_ORDER.flatMap((status) => cards.filter((card) => card.status === status));
}

function summary(cards) {
  return LABELS.results_summary.map(([status, words]) =>
    words.replace("{count}", String(cards.filter((card) => card.status === status).length))).join(" · ");
}

function groupCell(group) {
  const bar = el("span", { class: "wall__bar-fill" });
  bar.style.width = `${group.counted ? group.share : 0}%`; // set from script: no inline styles
  return el("td", { class: `wall__group${group.counted ? "" : " wall__group--uncounted"}`, "data-group": group.name },
    el("span", { class: "wall__bar", "aria-hidden": "true" }, bar),
    el("span", { class: "wall__group-numbers", text: group.counted ? TEXT.supporters(group.supporters, group.voters) : TEXT.tooFew }));
}

function drawResults() {
  const results = state.results;
  const cards = orderedResults(results.cards);
  document.getElementById("results-summary").textContent = summary(results.cards);
  document.getElementById("results-rule").textContent = TEXT.rule(results.rule);
  const groups = Object.keys(results.voters || {});
  document.getElementById("results-head").replaceChildren(
    el("th", { scope: "col", class: "wall__col-status", text: TEXT.status }),
    el("th", { scope: "col", class: "wall__col-idea", text: TEXT.idea }),
    ...groups.map((group) => el("th", { scope: "col", class: "wall__col-group", text: group })));
  const box = document.getElementById("results-box");
  return [{
    slots: [{ box, body: document.getElementById("results-list") }],
    items: cards,
    put: (body, card) => {
      const row = el("tr", { class: `wall__result wall__result--${card.status}` },
        el("td", { class: "wall__status", text: LABELS.consensus[card.status] }),
        el("td", { class: "wall__result-text", text: card.text }),
        ...card.groups.map(groupCell));
      body.append(row);
      return () => row.remove();
    },
  }];
}

function drawOutline() {
  const outline = state.outline;
  const content = outline.content;
  document.getElementById("outline-title").textContent = TEXT.outlineTitle(content.title);
  document.getElementById("outline-status").textContent = outline.status === "agreed"
    ? TEXT.outlineAgreed(outline.number) : TEXT.outlineDraft(outline.number);
  const slots = [...document.querySelectorAll("#outline-sections .wall__slot")].map((slot) => ({ box: slot, body: slot }));
  const items = LABELS.sections.flatMap(([key, title]) => {
    const lines = content[key] || [];
    return lines.length ? lines.map((line) => ({ key, title, text: line.text })) : [{ key, title, empty: true }];
  });
  return [{
    slots,
    items,
    put: (slot, item) => putGrouped(slot, item.key, item.title, item.empty
      ? el("li", { class: "wall__empty", text: TEXT.nothingYet })
      : el("li", { class: "wall__card wall__outline-item", text: item.text }), "ol"),
  }];
}
