// The wall: one 16:9 screen read from the back of a room. Each phase has its own layout (lobby:
// the code and who joined; ideas: every role side by side; vote: progress only; results: one
// compact row per idea, where groups differ first; build: the outline being built). Nothing
// ever scrolls: what does not fit is laid out in the browser, split into pages that fit, and
// the pages turn on their own. The facilitator's console can hold or turn them (`wall.page`).
// No controls.
import { Countdown } from "./countdown.js";
import { LABELS, LABELS_IN, LANG_ATTRIBUTE, Live, el, laterRound, originTags, otherLanguage, phaseLabel, say, sayIn, statusText, upsert, withRole } from "./live.js";

// Every sentence this page writes comes with the page (coprod/web/words/projector.py); on a
// bilingual wall in Welsh and English both (`sayIn`, `LABELS_IN`).
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
  accessEnded: say("accessEnded"),
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
    node.textContent = status === "live" ? say("live") : statusText(status, message);
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
  else if (name === "workshop.changed") {
    if (data.title) state.workshop.title = data.title;
    if ("bilingual_wall" in data) state.workshop.bilingual_wall = data.bilingual_wall;
  }
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

// ---- Words: one language, or Welsh and English at once ------------------------------------

// Whether the wall shows Welsh and English at once (the workshop's setting, when the page has
// both languages' words).
function bilingual() {
  return Boolean(state.workshop.bilingual_wall && LABELS_IN);
}

// Words for the wall, from `pick(say, labels)`: in the page's language, or on a bilingual wall
// Welsh first then English ("Cyfrifoldebau / Responsibilities"), each part with its `lang`.
function words(pick) {
  if (!bilingual()) return pick(say, LABELS);
  const part = (lang) => el("span", { lang: LANG_ATTRIBUTE[lang] },
    pick((key, values) => sayIn(lang, key, values), LABELS_IN[lang]));
  return el("span", { class: "wall__both" }, part("cy"), el("span", { class: "wall__slash", "aria-hidden": "true", text: " / " }), part("en"));
}

// The sentence `key` in the wall's language(s).
function wordsFor(key, values = {}) {
  return words((speak) => speak(key, values));
}

function write(node, content) {
  node.replaceChildren(content);
}

// An idea's wording, and its wording in the other language when it has one (Welsh first),
// each in an element marked with its language.
function ideaWording(card) {
  if (!card.translation) return [el("span", { lang: LANG_ATTRIBUTE[card.language], text: card.text })];
  const wording = { [card.language]: card.text, [otherLanguage(card.language)]: card.translation };
  return [el("span", { class: "wall__wording", lang: LANG_ATTRIBUTE.cy, text: wording.cy }),
    el("span", { class: "wall__wording wall__wording--second", lang: LANG_ATTRIBUTE.en, text: wording.en })];
}

// Where an idea came from (an earlier session and its result there; the evidence pack): one
// short line per tag under it, in the wall's language(s); nothing for an idea of this session.
function originLine(card) {
  const count = originTags(card).length;
  if (!count) return null;
  return el("span", { class: "wall__origin" }, Array.from({ length: count }, (_unused, index) =>
    el("span", { class: "wall__origin-tag" }, words((speak, labels) => originTags(card, speak, labels)[index]))));
}

// The template's own headings and labels, in the wall's language(s).
const FIXED = { "results-title": "resultsTitle", "join-label": "joinWithCode", "room-locked": "roomLocked", "people-label": "peopleHere" };

function renderFixedWords() {
  for (const [id, key] of Object.entries(FIXED)) write(document.getElementById(id), wordsFor(key));
  document.getElementById("join-qr").alt = say("qrCode");
}

function render() {
  document.getElementById("title").textContent = state.workshop.title || "";
  root.classList.toggle("wall--bilingual", bilingual());
  write(document.getElementById("phase-label"), words((speak) => speak(`phase_${state.workshop.phase}`)));
  renderFixedWords();
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
    el("li", {}, el("span", { text: group.name }),
      // Against the project's target per group, when it has one: "7 of 10".
      el("strong", {}, group.target ? wordsFor("countOfTarget", group) : String(group.count)))));
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
  node.replaceChildren(wordsFor("page", { page: paging.page + 1, pages: paging.pages }),
    ...(paging.held ? [" · ", el("strong", {}, wordsFor("held"))] : []));
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
      el("h3", { class: "wall__block-title" }, heading), el(listTag, { class: "wall__cards" }));
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
  closed: () => drawMessage("closed"), waiting: () => drawMessage("resultsSoon") };

function roleColumns() {
  const columns = state.roles.map((role) => ({ title: role.title, cards: state.cards.filter((card) => card.role_id === role.id) }));
  const general = state.cards.filter((card) => !state.roles.some((role) => role.id === card.role_id));
  if (general.length) columns.push({ title: words((speak, labels) => labels.any_role.label), cards: general });
  return columns;
}

function drawIdeas() {
  const columns = roleColumns();
  const nodes = columns.map((column) => {
    const body = el("div", { class: "wall__role-body" });
    const section = el("section", { class: "wall__role" },
      el("h2", { class: "wall__role-title" }, column.title, " ",
        el("span", { class: "wall__role-count" }, "(", wordsFor("ideaCount", { count: column.cards.length }), ")")),
      body);
    return { section, body };
  });
  document.getElementById("roles").replaceChildren(...nodes.map((node) => node.section));
  return columns.map((column, index) => ({
    slots: [{ box: nodes[index].body, body: nodes[index].body }],
    items: KINDS.flatMap((kind) => column.cards.filter((card) => card.kind === kind)),
    put: (slot, card) => putGrouped(slot, card.kind, words((speak, labels) => labels.kind_headings[card.kind]),
      el("li", { class: `wall__card wall__card--${card.kind}${fresh.has(card.id) ? " wall__card--new" : ""}` }, ideaWording(card), originLine(card))),
  }));
}

function drawVoting() {
  const open = state.round && state.round.state === "open";
  write(document.getElementById("voting-title"), wordsFor(open ? "voteNow" : "voteClosed"));
  const voters = (state.progress && state.progress.voters) || (state.results && state.results.voters) || {};
  const joined = Object.fromEntries(state.counts.map((group) => [group.name, group.count]));
  const rows = Object.entries(voters).map(([group, count]) => el("li", {}, joined[group] === undefined
    ? wordsFor("voted", { group, voted: count }) : wordsFor("votedOf", { group, voted: count, joined: joined[group] })));
  document.getElementById("progress").replaceChildren(...(rows.length ? rows : [el("li", {}, wordsFor("nobodyYet"))]));
  return [];
}

function drawMessage(key) {
  write(document.getElementById("message-title"), wordsFor(key));
  return [];
}

// Divisive ideas first, then agreed, then open; the server's order (best-backed first) within.
function orderedResults(cards) {
  return RESULT_ORDER.flatMap((status) => cards.filter((card) => card.status === status));
}

function summary(cards) {
  return words((speak, labels) => labels.results_order.map((status) =>
    speak(`summary_${status}`, { count: cards.filter((card) => card.status === status).length })).join(" · "));
}

function groupCell(group) {
  const bar = el("span", { class: "wall__bar-fill" });
  bar.style.width = `${group.counted ? group.share : 0}%`; // set from script: no inline styles
  return el("td", { class: `wall__group${group.counted ? "" : " wall__group--uncounted"}`, "data-group": group.name },
    el("span", { class: "wall__bar", "aria-hidden": "true" }, bar),
    el("span", { class: "wall__group-numbers" },
      group.counted ? say("supporters", { supporters: group.supporters, voters: group.voters }) : wordsFor("tooFew")));
}

function drawResults() {
  const results = state.results;
  const cards = orderedResults(results.cards);
  write(document.getElementById("results-summary"), summary(results.cards));
  const rule = results.rule;
  write(document.getElementById("results-rule"), words((speak, labels) => speak("rule", {
    agreed: labels.consensus.agreed, divisive: labels.consensus.divisive, threshold: `${rule.threshold}%`,
    min: rule.min_voters, gap: rule.divisive_gap })));
  const groups = Object.keys(results.voters || {});
  document.getElementById("results-head").replaceChildren(
    el("th", { scope: "col", class: "wall__col-status" }, wordsFor("status")),
    el("th", { scope: "col", class: "wall__col-idea" }, wordsFor("idea")),
    ...groups.map((group) => el("th", { scope: "col", class: "wall__col-group", text: group })));
  const box = document.getElementById("results-box");
  return [{
    slots: [{ box, body: document.getElementById("results-list") }],
    items: cards,
    put: (body, card) => {
      const row = el("tr", { class: `wall__result wall__result--${card.status}` },
        el("td", { class: "wall__status" }, words((speak, labels) => labels.consensus[card.status])),
        el("td", { class: "wall__result-text" }, ideaWording(card)),
        ...card.groups.map(groupCell));
      body.append(row);
      return () => row.remove();
    },
  }];
}

// An outline line as an idea's wording: its language, and its wording in the other language
// while that still translates the line as worded now (coprod/domain/outlines.py).
function outlineWording(line) {
  const translation = line.translation && line.translation.text && line.translation.of === line.text
    ? line.translation.text : null;
  return { text: line.text, language: line.language || "en", translation };
}

// An outline line on the wall: both wordings on a bilingual wall, else the wording in the page's
// language when the line has one (the outline is the room's shared text, read in one language).
function outlineLine(line) {
  const wording = outlineWording(line);
  if (bilingual()) return ideaWording(wording);
  const page = document.documentElement.lang === "cy" ? "cy" : "en";
  const translated = Boolean(wording.translation) && wording.language !== page;
  return [el("span", { lang: LANG_ATTRIBUTE[translated ? page : wording.language],
    text: translated ? wording.translation : wording.text })];
}

function drawOutline() {
  const outline = state.outline;
  const content = outline.content;
  write(document.getElementById("outline-title"), wordsFor("outlineTitle", { title: content.title }));
  write(document.getElementById("outline-status"),
    wordsFor(outline.status === "agreed" ? "outlineAgreed" : "outlineDraft", { number: outline.number }));
  const slots = [...document.querySelectorAll("#outline-sections .wall__slot")].map((slot) => ({ box: slot, body: slot }));
  // A fresh heading each time it is put (a node can be in one place only).
  const sectionTitle = (key) => words((speak, labels) => Object.fromEntries(labels.sections)[key]);
  const items = LABELS.sections.flatMap(([key]) => {
    const lines = content[key] || [];
    return lines.length ? lines.map((line) => ({ key, line })) : [{ key, empty: true }];
  });
  return [{
    slots,
    items,
    put: (slot, item) => putGrouped(slot, item.key, sectionTitle(item.key), item.empty
      ? el("li", { class: "wall__empty" }, wordsFor("nothingYet"))
      : el("li", { class: "wall__card wall__outline-item" }, outlineLine(item.line)), "ol"),
  }];
}
