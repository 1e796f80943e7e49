// The outline builder: the facilitator puts the room's ideas into a role's outline, with the
// room watching on the projector. Every change is one request; the server saves it as a new
// version and answers with that version, which replaces what is shown here.
import { LABELS, Live, el, redraw, shortText, statusText } from "./live.js";

const root = document.getElementById("builder");
const workshopId = Number(root.dataset.workshop);
// [[key, label], ...] in job-description order (a JSON object would lose the order).
const SECTION_ORDER = LABELS.sections;
const SECTIONS = Object.fromEntries(SECTION_ORDER);
const TYPES = Object.fromEntries(LABELS.types);
const REQUIREMENTS = Object.fromEntries(LABELS.requirements);
const ASSESSMENTS = Object.fromEntries(LABELS.assessments);
// The Career Framework levels and the longest line, from the server too.
const CHOICES = JSON.parse(document.getElementById("choices").textContent);
const feedback = document.getElementById("builder-feedback");

let roleId = null;
let outline = null; // the newest version of the chosen role's outline
let history = [];
let ideas = [];
let shownRoleId = null;
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
  feedback.textContent = `Saved as version ${reply.outline.number}. ${done || reply.outline.summary}`;
  return true;
}

function accept(version) {
  outline = version;
  history = [{ number: version.number, status: version.status, summary: version.summary,
    saved_by: version.saved_by, saved_at: version.saved_at, agreed_by: version.agreed_by },
  ...history.filter((v) => v.number !== version.number)];
  render();
}

// ---- Ideas from the room ----

function ideaItem(card) {
  const id = `add-to-${card.id}`;
  const used = sectionsUsing(card.id);
  const select = el("select", { class: "nhsuk-select", id },
    SECTION_ORDER.map(([key, label]) => el("option", { value: key, text: label,
      selected: (card.kind === "competence" ? "competences" : "responsibilities") === key })));
  const item = el("li", { class: "coprod-idea", draggable: "true", "data-consensus": card.consensus || "none" },
    el("p", { class: "coprod-idea__meta", text: [LABELS.kinds[card.kind], LABELS.consensus[card.consensus || "none"],
      used.length ? `in ${used.map((key) => SECTIONS[key].toLowerCase()).join(", ")}` : null].filter(Boolean).join(" · ") }),
    el("p", { class: "coprod-idea__text", text: card.text }),
    frozen() ? null : el("form", { class: "coprod-idea__tools", onsubmit: (event) => {
        event.preventDefault();
        change({ kind: "add_card", section: select.value, card_id: card.id });
      } },
      el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: "Add to" }), select),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit", id: `add-button-${card.id}`,
        "aria-label": `Add to outline: ${shortText(card.text)}`, text: "Add" })));
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

function lineDetails(section, item) {
  const parts = [LABELS.origins[item.origin]];
  if (section === "competences") parts.push(TYPES[item.type], item.level ? `level ${item.level}` : null, REQUIREMENTS[item.requirement]);
  if (section === "person_spec") parts.push(REQUIREMENTS[item.requirement]);
  if (item.assessment) parts.push(`assessed by: ${item.assessment.map((a) => ASSESSMENTS[a]).join(", ")}`);
  const card = item.card_ids.length ? ideas.find((idea) => idea.id === item.card_ids[0]) : null;
  if (card && card.consensus) parts.push(`${LABELS.consensus[card.consensus]} in the vote`);
  return parts.filter(Boolean).join(" · ");
}

function moveButtons(section, item, index, count) {
  const label = shortText(item.text);
  const buttons = [];
  if (index > 0) buttons.push(el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `up-${item.id}`,
    "aria-label": `Move up: ${label}`, text: "Up", onclick: () => change({ kind: "move", section, item_id: item.id, to_section: section, to_index: index - 1 }) }));
  if (index < count - 1) buttons.push(el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `down-${item.id}`,
    "aria-label": `Move down: ${label}`, text: "Down", onclick: () => change({ kind: "move", section, item_id: item.id, to_section: section, to_index: index + 1 }) }));
  return buttons;
}

// The keyboard way to move a line to another section (dragging does the same).
function moveForm(section, item) {
  const id = `move-to-${item.id}`;
  const target = el("select", { class: "nhsuk-select", id, "aria-label": `Move to: ${shortText(item.text)}` },
    SECTION_ORDER.filter(([key]) => key !== section).map(([key, label]) => el("option", { value: key, text: label })));
  return el("form", { class: "coprod-idea__tools", onsubmit: (event) => {
      event.preventDefault();
      change({ kind: "move", section, item_id: item.id, to_section: target.value, to_index: outline.content[target.value].length });
    } },
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: "Move to" }), target),
    el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit", id: `move-button-${item.id}`,
      "aria-label": `Move to the chosen section: ${shortText(item.text)}`, text: "Move" }));
}

function editForm(section, item) {
  const textId = `reword-${item.id}`;
  const text = el("textarea", { class: "nhsuk-textarea", id: textId, rows: "2", maxlength: String(CHOICES.line_limit),
    oninput: () => drafts.set(textId, text.value) });
  text.value = drafts.has(textId) ? drafts.get(textId) : item.text;
  const fields = [el("div", { class: "nhsuk-form-group" },
    el("label", { class: "nhsuk-label", for: textId, text: "Wording (the idea it came from stays linked)" }), text)];
  const controls = {};
  const select = (name, label, options, value) => {
    const id = `${name}-${item.id}`;
    controls[name] = el("select", { class: "nhsuk-select", id }, options.map(([v, t]) => el("option", { value: v, text: t, selected: String(value ?? "") === v })));
    fields.push(el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: label }), controls[name]));
  };
  if (section === "competences") {
    select("type", "Type", LABELS.types, item.type);
    select("level", "Level", [["", "Not set"], ...Object.entries(CHOICES.levels).map(([l, t]) => [l, `${l}: ${t}`])], item.level);
  }
  if (section === "competences" || section === "person_spec") {
    select("requirement", "Essential or desirable", LABELS.requirements, item.requirement);
    const boxes = LABELS.assessments.map(([a, label]) => {
      const id = `assess-${item.id}-${a.replace(" ", "-")}`;
      return el("div", { class: "nhsuk-checkboxes__item" },
        el("input", { class: "nhsuk-checkboxes__input", type: "checkbox", id, value: a, checked: item.assessment.includes(a) }),
        el("label", { class: "nhsuk-label nhsuk-checkboxes__label", for: id, text: label }));
    });
    controls.assessment = boxes;
    fields.push(el("fieldset", { class: "nhsuk-fieldset" },
      el("legend", { class: "nhsuk-fieldset__legend nhsuk-fieldset__legend--s", text: "How it is assessed" }),
      el("div", { class: "nhsuk-checkboxes nhsuk-checkboxes--small" }, boxes)));
  }
  return el("form", { class: "coprod-line__edit", onsubmit: async (event) => {
      event.preventDefault();
      const changes = { text: text.value };
      if (controls.type) changes.type = controls.type.value;
      if (controls.level) changes.level = controls.level.value ? Number(controls.level.value) : null;
      if (controls.requirement) changes.requirement = controls.requirement.value;
      if (controls.assessment) changes.assessment = controls.assessment.map((box) => box.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
      if (await change({ kind: "update_item", section, item_id: item.id, changes })) {
        editing.delete(item.id);
        drafts.delete(textId);
        render();
      }
    } },
    ...fields,
    el("div", { class: "coprod-line__tools" },
      el("button", { class: "nhsuk-button", type: "submit", text: "Save this line" }),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", text: "Cancel",
        onclick: () => { editing.delete(item.id); drafts.delete(textId); render(); } })));
}

function lineItem(section, item, index, count) {
  const label = shortText(item.text);
  const node = el("li", { class: "coprod-line", draggable: frozen() ? "false" : "true",
      "data-section": section, "data-index": String(index) },
    el("p", { class: "coprod-line__text", text: item.text }),
    el("p", { class: "coprod-line__meta", text: lineDetails(section, item) }),
    frozen() ? null : (editing.has(item.id) ? editForm(section, item) : [el("div", { class: "coprod-line__tools" },
      ...moveButtons(section, item, index, count),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `edit-${item.id}`,
        "aria-label": `Edit: ${label}`, text: "Edit", onclick: () => { editing.set(item.id, true); render(); } }),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: `remove-${item.id}`,
        "aria-label": `Remove: ${label}`, text: "Remove", onclick: () => change({ kind: "remove", section, item_id: item.id }) })),
    moveForm(section, item)]));
  node.addEventListener("dragstart", (event) => {
    dragged = { type: "item", section, id: item.id };
    event.dataTransfer.setData("text/plain", `item:${item.id}`);
  });
  return node;
}

function typedLine(section) {
  const id = `type-${section}`;
  const input = el("input", { class: "nhsuk-input", id, maxlength: String(CHOICES.line_limit), autocomplete: "off",
    oninput: () => drafts.set(id, input.value) });
  input.value = drafts.get(id) || "";
  return el("form", { class: "coprod-idea__tools", onsubmit: async (event) => {
      event.preventDefault();
      if (await change({ kind: "add_text", section, text: input.value })) { drafts.delete(id); render(); }
    } },
    el("div", { class: "nhsuk-form-group" }, el("label", { class: "nhsuk-label", for: id, text: `Add a line typed in the room to ${SECTIONS[section].toLowerCase()}` }), input),
    el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit", text: "Add line",
      "aria-label": `Add line to ${SECTIONS[section].toLowerCase()}` }));
}

function sectionBlock(section) {
  const items = outline.content[section];
  const block = el("section", { class: "coprod-section", "aria-labelledby": `section-${section}` },
    el("h3", { class: "nhsuk-heading-s", id: `section-${section}`, text: `${SECTIONS[section]} (${items.length})` }),
    items.length ? el("ol", { class: "coprod-lines" }, items.map((item, index) => lineItem(section, item, index, items.length)))
      : el("p", { class: "nhsuk-body-s", text: "Nothing here yet." }),
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
  const parts = [el("strong", { text: `Version ${outline.number}: ${outline.status === "agreed" ? "agreed" : "draft"}` })];
  if (frozen()) {
    parts.push(` Signed off by ${outline.agreed_by}. This version is frozen. `,
      el("button", { class: "nhsuk-button", type: "button", id: "new-draft", text: "Start a new draft",
        onclick: async () => {
          const reply = await live.request("outline:draft", { role_id: roleId, base_version: outline.number });
          feedback.textContent = reply.ok ? `Version ${reply.outline.number} is a new draft. Version ${outline.number} stays agreed.` : reply.error.message;
          if (reply.ok) accept(reply.outline);
        } }));
  } else {
    parts.push(` ${outline.summary}`);
  }
  node.replaceChildren(...parts);
}

function draw() {
  document.getElementById("builder-main").hidden = !outline;
  for (const tab of document.querySelectorAll(".coprod-role-tab")) {
    tab.setAttribute("aria-pressed", String(Number(tab.dataset.role) === roleId));
  }
  if (!outline) return;
  document.getElementById("outline-title").textContent = `${outline.content.title} outline`;
  banner();
  const show = document.getElementById("show-on-projector");
  show.setAttribute("aria-pressed", String(shownRoleId === roleId));
  show.textContent = shownRoleId === roleId ? "Showing on the projector" : "Show on the projector";
  const base = `/workshops/${workshopId}/outlines/${roleId}`;
  document.getElementById("view-outline").href = base;
  document.getElementById("compare-link").href = `${base}/compare`;
  for (const input of document.querySelectorAll("#details-form input, #details-form select, #details-form textarea, #details-form button")) {
    input.disabled = frozen();
  }
  document.getElementById("sign-form").hidden = frozen();
  document.getElementById("sign-button").textContent = `Sign off version ${outline.number} as agreed`;
  document.getElementById("ideas").replaceChildren(...ideas.map(ideaItem));
  document.getElementById("sections").replaceChildren(...SECTION_ORDER.map(([key]) => sectionBlock(key)));
  document.getElementById("history").replaceChildren(...history.map((version) => el("li", {},
    el("a", { href: `${base}?version=${version.number}`, text: `Version ${version.number}` }),
    `${version.status === "agreed" ? " (agreed)" : ""}: ${version.summary} (${version.saved_by})`)));
}

function render() {
  redraw(draw);
}

for (const tab of document.querySelectorAll(".coprod-role-tab")) {
  tab.addEventListener("click", () => openRole(Number(tab.dataset.role)));
}

document.getElementById("details-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = (name) => document.getElementById(`field-${name}`).value;
  await change({ kind: "update_fields", changes: {
    title: value("title"), setting: value("setting"), purpose: value("purpose"),
    career_level: value("career_level") ? Number(value("career_level")) : null,
    band: value("band") || null, reporting_lines: value("reporting_lines") } }, "Job details saved.");
});

document.getElementById("sign-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!window.confirm(`Sign off version ${outline.number} of the ${outline.content.title} outline as agreed by the workshop?`)) return;
  const reply = await live.request("outline:sign", { role_id: roleId, version: outline.number,
    note: document.getElementById("sign-note").value || null });
  feedback.textContent = reply.ok ? `Version ${reply.outline.number} is signed off as agreed.` : reply.error.message;
  if (reply.ok) accept(reply.outline);
});

document.getElementById("show-on-projector").addEventListener("click", async () => {
  const reply = await live.request("outline:show", { role_id: shownRoleId === roleId ? null : roleId });
  if (!reply.ok) { feedback.textContent = reply.error.message; return; }
  shownRoleId = reply.role_id;
  feedback.textContent = shownRoleId ? "The projector shows this outline now." : "The projector no longer shows an outline.";
  render();
});

const first = document.querySelector(".coprod-role-tab");
live.socket.once("connect", () => first && openRole(Number(first.dataset.role)));
