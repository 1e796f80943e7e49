// The outline builder: the facilitator puts the room's ideas into a role's outline, with the
// room watching on the projector. Every change is one request; the server saves it as a new
// version and answers with that version, which replaces what is shown here.
import { LABELS, Live, el, originTags, redraw, say, shortText, statusText } from "./live.js";

// Every sentence this page writes comes from the server in the reader's language
// (coprod/web/words/builder.py); these name the values each one needs.
const TEXT = {
  ideasFor: (role) => say("ideasFor", { role }),
  noIdeas: say("noIdeas"),
  showOthers: (count) => say("showOthers", { count }),
  hideOthers: (count) => say("hideOthers", { count }),
  inOutline: (sections) => say("inOutline", { sections }),
  addTo: say("addTo"),
  add: say("add"),
  addLabel: (text) => say("addLabel", { text }),
  otherRole: say("otherRole"),
  outlineTitle: (title) => say("outlineTitle", { title }),
  needsIntro: say("needsIntro"),
  ready: say("ready"),
  frozen: say("frozen"),
  signButton: (number) => say("signButton", { number }),
  confirmSign: (number, title) => say("confirmSign", { number, title }),
  signed: (number) => say("signed", { number }),
  saved: (number, what) => say("saved", { number, what }),
  detailsSaved: say("detailsSaved"),
  // From a project's second session on, each version says which session made it.
  versionLine: (number, agreed, session) => (SESSION > 1
    ? say(agreed ? "versionAgreedFrom" : "versionDraftFrom", { number, session })
    : say(agreed ? "versionAgreed" : "versionDraft", { number })),
  signedBy: (name) => ` ${say("signedBy", { name })} `,
  newDraft: say("newDraft"),
  draftStarted: (number, agreed) => say("draftStarted", { number, agreed }),
  showing: say("showing"),
  show: say("show"),
  projectorOn: say("projectorOn"),
  projectorOff: say("projectorOff"),
  inVote: (status) => say("inVote", { status }),
  type: say("type"),
  level: say("level"),
  requirement: say("requirement"),
  assessment: say("assessment"),
  wording: say("wording"),
  saveLine: say("saveLine"),
  cancel: say("cancel"),
  up: say("up"),
  down: say("down"),
  upLabel: (text) => say("upLabel", { text }),
  downLabel: (text) => say("downLabel", { text }),
  edit: say("edit"),
  editLabel: (text) => say("editLabel", { text }),
  remove: say("remove"),
  removeLabel: (text) => say("removeLabel", { text }),
  moveTo: say("moveTo"),
  moveToLabel: (text) => say("moveToLabel", { text }),
  move: say("move"),
  moveLabel: (text) => say("moveLabel", { text }),
  typeLine: (section) => say(`typeLine_${section}`),
  writtenIn: say("writtenIn"),
  addLine: say("addLine"),
  addLineLabel: (section) => say(`addLineLabel_${section}`),
  nothingYet: say("nothingYet"),
  sectionHeading: (label, count) => say("sectionHeading", { label, count }),
  version: (number, session) => (SESSION > 1 ? say("versionFrom", { number, session }) : say("version", { number })),
  historyLine: (agreed, summary, by) => `${agreed ? ` ${say("historyAgreed")}` : ""}${say("historyLine", { summary, by })}`,
  wordingButton: (lang, has) => say(`${has ? "changeWording" : "addWording"}_${lang}`),
  wordingButtonLabel: (lang, has, text) => say(`${has ? "changeWordingFor" : "addWordingFor"}_${lang}`, { text }),
  wordingIn: (lang) => say(`wordingIn_${lang}`),
  wordingHint: say("wordingHint"),
  saveWording: say("saveWording"),
  shownIn: (lang) => say(`shownIn_${lang}`),
  outOfDate: (lang) => say(`outOfDate_${lang}`),
};

const root = document.getElementById("builder");
const workshopId = Number(root.dataset.workshop);
// The session of the project this is (1, 2, ...): versions can come from an earlier one.
const SESSION = Number(root.dataset.session || 1);
// [[key, label], ...] in job-description order (a JSON object would lose the order).
const SECTION_ORDER = LABELS.sections;
const SECTIONS = Object.fromEntries(SECTION_ORDER);
const TYPES = Object.fromEntries(LABELS.types);
const REQUIREMENTS = Object.fromEntries(LABELS.requirements);
const ASSESSMENTS = Object.fromEntries(LABELS.assessments);
// The Career Framework levels and the longest line, from the server too.
const CHOICES = JSON.parse(document.getElementById("choices").textContent);
const NOT_DECIDED = LABELS.undecided.label;
// The languages a line can be worded in, each named in itself, and their page language tags.
const LANGUAGES = CHOICES.languages;
const LANG_TAGS = { cy: "cy", en: "en-GB" };
const PAGE_LANGUAGE = document.documentElement.lang.startsWith("cy") ? "cy" : "en";
const feedback = document.getElementById("builder-feedback");
const ROLE_TABS = [...document.querySelectorAll(".coprod-role-tab")];
// Role id -> its title and its place in the workshop, from the role buttons.
const ROLES = new Map(ROLE_TABS.map((tab, index) => [Number(tab.dataset.role), { title: tab.textContent.trim(), index }]));
// The order ideas are offered in: what the room agreed first, what it has not voted on last.
const STATUS_ORDER = ["agreed", "divisive", "open", "none"];

let roleId = null;
let outline = null; // the newest version of the chosen role's outline
let history = [];
let ideas = [];
let shownRoleId = null;
let showOthers = false; // whether the other roles' ideas are shown
const editing = new Map(); // item id -> true while its edit form is open
const drafts = new Map(); // field id -> text being typed
let dragged = null; // {type: "card", id} or {type: "item", section, id}

const live = new Live({
  workshop: workshopId,
  view: "console",
  onState: () => roleId && openRole(roleId),
  onEvent: (name, data) => {
    if (name === "outline.changed" && data.role_id === roleId && isNewer(data)) {
      accept(data); // a change saved (or signed off) on another computer
      fillDetails();
    } else if (name === "outline.shown") {
      shownRoleId = data.role_id;
      render();
    } else if (["card.added", "card.changed", "card.removed", "results.revealed"].includes(name)) {
      if (roleId) refreshIdeas();
    }
  },
  onStatus: (status, message) => {
    const node = document.getElementById("connection");
    node.textContent = statusText(status, message);
    node.dataset.status = status;
  },
});

// A sign-off keeps the version number, so a same-numbered version whose status changed is news too.
function isNewer(version) {
  return !outline || version.number > outline.number
    || (version.number === outline.number && version.status !== outline.status);
}

async function openRole(id) {
  const reply = await live.request("outline:open", { role_id: id });
  if (!reply.ok) { feedback.textContent = reply.error.message; return; }
  roleId = id;
  outline = reply.outline;
  history = reply.history;
  ideas = reply.builder.cards;
  shownRoleId = reply.builder.shown_role_id;
  editing.clear();
  fillDetails();
  render();
}

async function refreshIdeas() {
  const reply = await live.request("outline:open", { role_id: roleId });
  if (reply.ok) { ideas = reply.builder.cards; render(); }
}

async function change(operation, done) {
  const reply = await live.request("outline:change", { role_id: roleId, base_version: outline.number, operation });
  if (!reply.ok) {
    feedback.textContent = reply.error.message;
    if (reply.error.field === "base_version") openRole(roleId); // someone else saved: reload
    return false;
  }
  accept(reply.outline);
  feedback.textContent = TEXT.saved(reply.outline.number, done || reply.outline.summary);
  return true;
}

function accept(version) {
  outline = { sign_off_needs: [], ...version };
  history = [{ number: version.number, status: version.status, summary: version.summary,
    saved_by: version.saved_by, saved_at: version.saved_at, agreed_by: version.agreed_by,
    session_number: version.session_number },
  ...history.filter((v) => v.number !== version.number)];
  render();
}

// ---- Ideas from the room ----

// The chosen role's ideas and those for any role, then every other role's, each in status order.
function ideasByRole() {
  const mine = (card) => card.role_id === null || card.role_id === roleId;
  const rank = (card) => STATUS_ORDER.indexOf(card.consensus || "none");
  const place = (card) => (card.role_id === null ? -1 : ROLES.get(card.role_id)?.index ?? ROLES.size);
  const ordered = (list, byRole) => list.map((card, index) => ({ card, index }))
    .sort((a, b) => (byRole ? place(a.card) - place(b.card) : 0) || rank(a.card) - rank(b.card) || a.index - b.index)
    .map(({ card }) => card);
  return { mine: ordered(ideas.filter(mine), false), others: ordered(ideas.filter((card) => !mine(card)), true) };
}

function roleName(card) {
  if (card.role_id === null) return LABELS.any_role.label;
  return ROLES.get(card.role_id)?.title || TEXT.otherRole;
}

function ideaItem(card) {
  const id = `add-to-${card.id}`;
  const used = sectionsUsing(card.id);
  const status = card.consensus || "none";
  const select = el("select", { class: "nhsuk-select", id },
    SECTION_ORDER.map(([key, label]) => el("option", { value: key, text: label,
      selected: (card.kind === "competence" ? "competences" : "responsibilities") === key })));
  const item = el("li", { class: "coprod-idea", draggable: frozen() ? "false" : "true", "data-consensus": status,
      "data-role": card.role_id === null ? "any" : String(card.role_id), "data-used": String(used.length > 0) },
    el("p", { class: "coprod-idea__meta" },
      el("span", { class: "coprod-idea__role", text: roleName(card) }), " · ",
      el("span", { class: "coprod-idea__kind", text: LABELS.kinds[card.kind] }), " · ",
      el("span", { class: "coprod-idea__status", text: LABELS.consensus[status] }),
      // Where it came from: an earlier session (and its result there) or the evidence pack.
      ...originTags(card).flatMap((tag) => [" · ", el("span", { class: "coprod-idea__origin", text: tag })])),
    el("p", { class: "coprod-idea__text", lang: LANG_TAGS[card.language || "en"], text: card.text }),
    card.translation ? el("p", { class: "coprod-idea__other" }, `${TEXT.shownIn(otherLanguage(card.language || "en"))} `,
      el("span", { lang: LANG_TAGS[otherLanguage(card.language || "en")], text: card.translation })) : null,
    used.length ? el("p", { class: "coprod-idea__used",
      // A list after a colon: lower case reads right in Welsh and English alike.
      text: TEXT.inOutline(used.map((key) => SECTIONS[key].toLowerCase()).join(", ")) }) : null,
    frozen() ? null : el("form", { class: "coprod-idea__tools", onsubmit: (event) => {
        event.preventDefault();
        change({ kind: "add_card", section: select.value, card_id: card.id });
      } },
      el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: TEXT.addTo }), select),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit", id: `add-button-${card.id}`,
        "aria-label": TEXT.addLabel(shortText(card.text)), text: TEXT.add })));
  item.addEventListener("dragstart", (event) => {
    dragged = { type: "card", id: card.id };
    event.dataTransfer.setData("text/plain", `card:${card.id}`);
  });
  return item;
}

function sectionsUsing(cardId) {
  if (!outline) return [];
  return SECTION_ORDER.map(([key]) => key).filter((key) => outline.content[key].some((item) => item.card_ids.includes(cardId)));
}

function drawIdeas() {
  const { mine, others } = ideasByRole();
  const role = ROLES.get(roleId);
  document.getElementById("ideas-title").textContent = TEXT.ideasFor(role ? role.title : outline.content.title);
  document.getElementById("ideas").replaceChildren(...(mine.length ? mine.map(ideaItem)
    : [el("li", { class: "nhsuk-body-s", text: TEXT.noIdeas })]));
  const toggle = document.getElementById("toggle-other-ideas");
  toggle.hidden = others.length === 0;
  toggle.setAttribute("aria-expanded", String(showOthers));
  toggle.textContent = showOthers ? TEXT.hideOthers(others.length) : TEXT.showOthers(others.length);
  const list = document.getElementById("other-ideas");
  list.hidden = !showOthers || others.length === 0;
  list.replaceChildren(...(list.hidden ? [] : others.map(ideaItem)));
}

// ---- The outline ----

function frozen() {
  return outline && outline.status === "agreed";
}

function fillDetails() {
  const content = outline.content;
  for (const name of ["title", "setting", "purpose", "career_level", "band", "reporting_lines"]) {
    const input = document.getElementById(`field-${name}`);
    input.value = content[name] === null || content[name] === undefined ? "" : String(content[name]);
  }
}

// A line's origin, its details (each one "not decided yet" until someone chooses) and its vote.
function lineDetails(section, item) {
  const card = item.card_ids.length ? ideas.find((idea) => idea.id === item.card_ids[0]) : null;
  const details = [];
  if (section === "competences") {
    details.push([TEXT.type, TYPES[item.type]], [TEXT.level, item.level ? String(item.level) : null]);
  }
  if (section === "competences" || section === "person_spec") {
    details.push([TEXT.requirement, REQUIREMENTS[item.requirement]],
      [TEXT.assessment, (item.assessment || []).map((a) => ASSESSMENTS[a]).join(", ") || null]);
  }
  const parts = [LABELS.origins[item.origin], ...details.map(([name, value]) => el("span",
    { class: value ? "coprod-detail" : "coprod-detail coprod-detail--undecided", text: `${name}: ${value || NOT_DECIDED}` })),
  card && card.consensus ? TEXT.inVote(LABELS.consensus[card.consensus]) : null].filter(Boolean);
  return parts.flatMap((part, index) => (index ? [" · ", part] : [part]));
}

function moveButtons(section, item, index, count) {
  const label = shortText(item.text);
  const buttons = [];
  if (index > 0) buttons.push(el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `up-${item.id}`,
    "aria-label": TEXT.upLabel(label), text: TEXT.up, onclick: () => change({ kind: "move", section, item_id: item.id, to_section: section, to_index: index - 1 }) }));
  if (index < count - 1) buttons.push(el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `down-${item.id}`,
    "aria-label": TEXT.downLabel(label), text: TEXT.down, onclick: () => change({ kind: "move", section, item_id: item.id, to_section: section, to_index: index + 1 }) }));
  return buttons;
}

// The keyboard way to move a line to another section (dragging does the same).
function moveForm(section, item) {
  const id = `move-to-${item.id}`;
  const target = el("select", { class: "nhsuk-select", id, "aria-label": TEXT.moveToLabel(shortText(item.text)) },
    SECTION_ORDER.filter(([key]) => key !== section).map(([key, label]) => el("option", { value: key, text: label })));
  return el("form", { class: "coprod-idea__tools", onsubmit: (event) => {
      event.preventDefault();
      change({ kind: "move", section, item_id: item.id, to_section: target.value, to_index: outline.content[target.value].length });
    } },
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: TEXT.moveTo }), target),
    el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit", id: `move-button-${item.id}`,
      "aria-label": TEXT.moveLabel(shortText(item.text)), text: TEXT.move }));
}

function editForm(section, item) {
  const textId = `reword-${item.id}`;
  const text = el("textarea", { class: "nhsuk-textarea", id: textId, rows: "2", maxlength: String(CHOICES.line_limit),
    oninput: () => drafts.set(textId, text.value) });
  text.value = drafts.has(textId) ? drafts.get(textId) : item.text;
  const fields = [el("div", { class: "nhsuk-form-group" },
    el("label", { class: "nhsuk-label", for: textId, text: TEXT.wording }), text)];
  const controls = {};
  const select = (name, label, options, value) => {
    const id = `${name}-${item.id}`;
    controls[name] = el("select", { class: "nhsuk-select", id }, options.map(([v, t]) => el("option", { value: v, text: t, selected: String(value ?? "") === v })));
    fields.push(el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: label }), controls[name]));
  };
  // Each choice starts as not decided until someone picks: no guessed default.
  const undecided = ["", NOT_DECIDED];
  if (section === "competences") {
    select("type", TEXT.type, [undecided, ...LABELS.types], item.type);
    select("level", TEXT.level, [undecided, ...Object.entries(CHOICES.levels).map(([l, t]) => [l, `${l}: ${t}`])], item.level);
  }
  if (section === "competences" || section === "person_spec") {
    select("requirement", TEXT.requirement, [undecided, ...LABELS.requirements], item.requirement);
    const boxes = LABELS.assessments.map(([a, label]) => {
      const id = `assess-${item.id}-${a.replace(" ", "-")}`;
      return el("div", { class: "nhsuk-checkboxes__item" },
        el("input", { class: "nhsuk-checkboxes__input", type: "checkbox", id, value: a, checked: (item.assessment || []).includes(a) }),
        el("label", { class: "nhsuk-label nhsuk-checkboxes__label", for: id, text: label }));
    });
    controls.assessment = boxes;
    fields.push(el("fieldset", { class: "nhsuk-fieldset" },
      el("legend", { class: "nhsuk-fieldset__legend nhsuk-fieldset__legend--s", text: TEXT.assessment }),
      el("div", { class: "nhsuk-checkboxes nhsuk-checkboxes--small" }, boxes)));
  }
  return el("form", { class: "coprod-line__edit", onsubmit: async (event) => {
      event.preventDefault();
      const changes = { text: text.value };
      if (controls.type) changes.type = controls.type.value || null;
      if (controls.level) changes.level = controls.level.value ? Number(controls.level.value) : null;
      if (controls.requirement) changes.requirement = controls.requirement.value || null;
      if (controls.assessment) changes.assessment = controls.assessment.map((box) => box.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
      if (await change({ kind: "update_item", section, item_id: item.id, changes })) {
        editing.delete(item.id);
        drafts.delete(textId);
        render();
      }
    } },
    ...fields,
    el("div", { class: "coprod-line__tools" },
      el("button", { class: "nhsuk-button", type: "submit", text: TEXT.saveLine }),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", text: TEXT.cancel,
        onclick: () => { editing.delete(item.id); drafts.delete(textId); render(); } })));
}

function lineItem(section, item, index, count) {
  const label = shortText(item.text);
  const node = el("li", { class: "coprod-line", draggable: frozen() ? "false" : "true",
      "data-section": section, "data-index": String(index) },
    el("p", { class: "coprod-line__text", lang: LANG_TAGS[lineLanguage(item)], text: item.text }),
    otherWording(item),
    el("p", { class: "coprod-line__meta" }, lineDetails(section, item)),
    frozen() ? null : (editing.has(item.id) ? editForm(section, item) : [el("div", { class: "coprod-line__tools" },
      ...moveButtons(section, item, index, count),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `edit-${item.id}`,
        "aria-label": TEXT.editLabel(label), text: TEXT.edit, onclick: () => { editing.set(item.id, true); render(); } }),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `remove-${item.id}`,
        "aria-label": TEXT.removeLabel(label), text: TEXT.remove, onclick: () => change({ kind: "remove", section, item_id: item.id }) }),
      wordingButton(item)),
    editing.has(wordingKey(item)) ? wordingForm(section, item) : null,
    moveForm(section, item)]));
  node.addEventListener("dragstart", (event) => {
    dragged = { type: "item", section, id: item.id };
    event.dataTransfer.setData("text/plain", `item:${item.id}`);
  });
  return node;
}

function typedLine(section) {
  const id = `type-${section}`;
  const languageId = `type-language-${section}`;
  const input = el("input", { class: "nhsuk-input", id, maxlength: String(CHOICES.line_limit), autocomplete: "off",
    oninput: () => drafts.set(id, input.value) });
  input.value = drafts.get(id) || "";
  // The language the line is typed in: the page's unless the facilitator says otherwise.
  const language = el("select", { class: "nhsuk-select", id: languageId, onchange: () => drafts.set(languageId, language.value) },
    Object.entries(LANGUAGES).map(([code, name]) => el("option", { value: code, lang: LANG_TAGS[code], text: name,
      selected: (drafts.get(languageId) || PAGE_LANGUAGE) === code })));
  return el("form", { class: "coprod-idea__tools", onsubmit: async (event) => {
      event.preventDefault();
      if (await change({ kind: "add_text", section, text: input.value, language: language.value })) { drafts.delete(id); render(); }
    } },
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: TEXT.typeLine(section) }), input),
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: languageId, text: TEXT.writtenIn }), language),
    el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit", text: TEXT.addLine, id: `add-line-${section}`,
      "aria-label": TEXT.addLineLabel(section) }));
}

// ---- A line's wording in the other language ----

function otherLanguage(language) {
  return language === "cy" ? "en" : "cy";
}

// Lines saved before lines had languages were worded in English.
function lineLanguage(item) {
  return item.language || "en";
}

// The other wording if it still translates the line as worded now (a rewording makes it out of date).
function currentTranslation(item) {
  const translation = item.translation;
  return translation && translation.text && translation.of === item.text ? translation : null;
}

function otherWording(item) {
  const lang = otherLanguage(lineLanguage(item));
  const translation = currentTranslation(item);
  if (translation) {
    return el("p", { class: "coprod-line__other" }, `${TEXT.shownIn(lang)} `,
      el("span", { lang: LANG_TAGS[lang], text: translation.text }));
  }
  return item.translation && item.translation.text
    ? el("p", { class: "coprod-line__other coprod-line__other--stale", text: TEXT.outOfDate(lang) }) : null;
}

function wordingKey(item) {
  return `wording-${item.id}`;
}

function wordingButton(item) {
  const lang = otherLanguage(lineLanguage(item));
  const has = Boolean(item.translation && item.translation.text);
  return el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `wording-button-${item.id}`,
    "aria-label": TEXT.wordingButtonLabel(lang, has, shortText(item.text)), text: TEXT.wordingButton(lang, has),
    "aria-expanded": String(editing.has(wordingKey(item))),
    onclick: () => { editing.set(wordingKey(item), true); render(); document.getElementById(`wording-${item.id}`)?.focus(); } });
}

// Add or correct the other wording; saved through the same change path as every edit (a new
// version, on the audit trail), with who entered it and when.
function wordingForm(section, item) {
  const lang = otherLanguage(lineLanguage(item));
  const id = `wording-${item.id}`;
  const hintId = `${id}-hint`;
  const text = el("textarea", { class: "nhsuk-textarea", id, rows: "2", lang: LANG_TAGS[lang], maxlength: String(CHOICES.line_limit),
    "aria-describedby": hintId, oninput: () => drafts.set(id, text.value) });
  text.value = drafts.has(id) ? drafts.get(id) : (item.translation && item.translation.text) || "";
  const close = () => {
    editing.delete(wordingKey(item));
    drafts.delete(id);
    render();
    document.getElementById(`wording-button-${item.id}`)?.focus(); // back where the form was opened
  };
  return el("form", { class: "coprod-line__edit", onsubmit: async (event) => {
      event.preventDefault();
      if (await change({ kind: "translate", section, item_id: item.id, language: lang, text: text.value })) close();
    } },
    el("div", { class: "nhsuk-form-group" },
      el("label", { class: "nhsuk-label", for: id, text: TEXT.wordingIn(lang) }),
      el("div", { class: "nhsuk-hint", id: hintId, text: TEXT.wordingHint }), text),
    el("div", { class: "coprod-line__tools" },
      el("button", { class: "nhsuk-button", type: "submit", id: `save-wording-${item.id}`, text: TEXT.saveWording }),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", text: TEXT.cancel, onclick: close })));
}

function sectionBlock(section) {
  const items = outline.content[section];
  const block = el("section", { class: "coprod-section", "aria-labelledby": `section-${section}` },
    el("h3", { class: "nhsuk-heading-s", id: `section-${section}`, text: TEXT.sectionHeading(SECTIONS[section], items.length) }),
    items.length ? el("ol", { class: "coprod-lines" }, items.map((item, index) => lineItem(section, item, index, items.length)))
      : el("p", { class: "nhsuk-body-s", text: TEXT.nothingYet }),
    frozen() ? null : typedLine(section));
  if (!frozen()) dropZone(block, section);
  return block;
}

function dropZone(block, section) {
  block.addEventListener("dragover", (event) => { if (dragged) { event.preventDefault(); block.classList.add("coprod-drop"); } });
  block.addEventListener("dragleave", () => block.classList.remove("coprod-drop"));
  block.addEventListener("drop", (event) => {
    event.preventDefault();
    block.classList.remove("coprod-drop");
    const what = dragged;
    dragged = null;
    if (!what) return;
    const at = dropIndex(event, section);
    if (what.type === "card") { change({ kind: "add_card", section, card_id: what.id, position: at }); return; }
    // The server takes the line out before putting it back, so later places shift up by one.
    const from = outline.content[what.section].findIndex((item) => item.id === what.id);
    const to = what.section === section && from < at ? at - 1 : at;
    if (what.section !== section || to !== from) {
      change({ kind: "move", section: what.section, item_id: what.id, to_section: section, to_index: to });
    }
  });
}

// Where a drop lands: before the line under the pointer (after it, on its lower half), or at the end.
function dropIndex(event, section) {
  const line = event.target.closest(".coprod-line");
  if (!line || line.dataset.section !== section) return outline.content[section].length;
  const box = line.getBoundingClientRect();
  return Number(line.dataset.index) + (event.clientY > box.top + box.height / 2 ? 1 : 0);
}

function banner() {
  const node = document.getElementById("version-banner");
  node.dataset.status = outline.status;
  const parts = [el("strong", { text: TEXT.versionLine(outline.number, frozen(), outline.session_number) })];
  if (frozen()) {
    parts.push(TEXT.signedBy(outline.agreed_by),
      el("button", { class: "nhsuk-button", type: "button", id: "new-draft", text: TEXT.newDraft,
        onclick: async () => {
          const reply = await live.request("outline:draft", { role_id: roleId, base_version: outline.number });
          feedback.textContent = reply.ok ? TEXT.draftStarted(reply.outline.number, outline.number) : reply.error.message;
          if (reply.ok) {
            accept(reply.outline);
            node.focus(); // the button is gone: the banner says which draft this is now
          }
        } }));
  } else {
    parts.push(` ${outline.summary}`);
  }
  node.replaceChildren(...parts);
}

// The action bar: what sign-off still needs is said before anyone tries, and the button stays
// focusable but explains itself (aria-disabled, described by that list) until nothing is missing.
function drawSignOff() {
  const needs = frozen() ? [] : outline.sign_off_needs;
  const explain = document.getElementById("sign-off-needs");
  explain.dataset.ready = String(needs.length === 0);
  explain.replaceChildren(...(frozen() ? [el("p", { text: TEXT.frozen })]
    : needs.length ? [el("p", { class: "coprod-needs__intro", text: TEXT.needsIntro }),
      el("ul", { class: "coprod-needs__list" }, needs.map((need) => el("li", { text: LABELS.sign_off_needs[need] })))]
      : [el("p", { text: TEXT.ready })]));
  document.getElementById("sign-form").hidden = frozen();
  const button = document.getElementById("sign-button");
  button.textContent = TEXT.signButton(outline.number);
  if (needs.length) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
}

function draw() {
  document.getElementById("builder-main").hidden = !outline;
  for (const tab of ROLE_TABS) {
    tab.setAttribute("aria-pressed", String(Number(tab.dataset.role) === roleId));
  }
  if (!outline) return;
  document.getElementById("outline-title").textContent = TEXT.outlineTitle(outline.content.title);
  banner();
  drawSignOff();
  const show = document.getElementById("show-on-projector");
  show.setAttribute("aria-pressed", String(shownRoleId === roleId));
  show.textContent = shownRoleId === roleId ? TEXT.showing : TEXT.show;
  const base = `/workshops/${workshopId}/outlines/${roleId}`;
  document.getElementById("view-outline").href = base;
  document.getElementById("compare-link").href = `${base}/compare`;
  for (const input of document.querySelectorAll("#details-form input, #details-form select, #details-form textarea, #details-form button")) {
    input.disabled = frozen();
  }
  drawIdeas();
  document.getElementById("sections").replaceChildren(...SECTION_ORDER.map(([key]) => sectionBlock(key)));
  document.getElementById("history").replaceChildren(...history.map((version) => el("li", {},
    el("a", { href: `${base}?version=${version.number}`, text: TEXT.version(version.number, version.session_number) }),
    TEXT.historyLine(version.status === "agreed", version.summary, version.saved_by))));
}

function render() {
  redraw(draw);
}

for (const tab of ROLE_TABS) {
  tab.addEventListener("click", () => openRole(Number(tab.dataset.role)));
}

document.getElementById("toggle-other-ideas").addEventListener("click", () => {
  showOthers = !showOthers;
  render();
});

// The skip link moves focus too (not only the scroll), so the next Tab is the note, then the button.
document.getElementById("skip-to-sign-off").addEventListener("click", (event) => {
  const target = document.getElementById("sign-off");
  if (!target || target.closest("[hidden]")) return;
  event.preventDefault();
  target.focus();
});

document.getElementById("details-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = (name) => document.getElementById(`field-${name}`).value;
  await change({ kind: "update_fields", changes: {
    title: value("title"), setting: value("setting"), purpose: value("purpose"),
    career_level: value("career_level") ? Number(value("career_level")) : null,
    band: value("band") || null, reporting_lines: value("reporting_lines") } }, TEXT.detailsSaved);
});

document.getElementById("sign-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const needs = outline.sign_off_needs;
  if (needs.length) { // the confirm dialog only ever asks when the sign-off can succeed
    feedback.textContent = [TEXT.needsIntro, ...needs.map((need) => LABELS.sign_off_needs[need])].join(" ");
    return;
  }
  if (!window.confirm(TEXT.confirmSign(outline.number, outline.content.title))) return;
  const reply = await live.request("outline:sign", { role_id: roleId, version: outline.number,
    note: document.getElementById("sign-note").value || null });
  feedback.textContent = reply.ok ? TEXT.signed(reply.outline.number) : reply.error.message;
  if (reply.ok) {
    accept(reply.outline);
    document.getElementById("sign-note").value = "";
    document.getElementById("version-banner").focus(); // the form is gone; the banner says "agreed"
  }
});

document.getElementById("show-on-projector").addEventListener("click", async () => {
  const reply = await live.request("outline:show", { role_id: shownRoleId === roleId ? null : roleId });
  if (!reply.ok) { feedback.textContent = reply.error.message; return; }
  shownRoleId = reply.role_id;
  feedback.textContent = shownRoleId ? TEXT.projectorOn : TEXT.projectorOff;
  render();
});

const first = ROLE_TABS[0];
live.socket.once("connect", () => first && openRole(Number(first.dataset.role)));
