// The sandbox's inbox page. Plain DOM, no framework, no build step, no requests off this origin.
// Mail content is only ever inserted as text (textContent) or shown in the sandboxed iframe.
"use strict";

const PAGE_SIZE = 25;
const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
const state = { q: "", cursors: [null], page: 0, listKey: "", current: null, timer: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({ credentials: "same-origin", headers: { Accept: "application/json" } }, options));
  if (response.status === 401) { location.reload(); throw new Error("signed out"); }
  if (!response.ok) throw new Error(path + " answered " + response.status);
  return response.status === 204 ? null : response.json();
}

function when(iso) {
  const date = new Date(iso);
  return isNaN(date) ? iso : date.toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

function shortKey(fingerprint) {
  if (!fingerprint) return "none";
  return fingerprint.length > 19 ? fingerprint.slice(0, 19) + "…" : fingerprint;
}

function modeTag(sandboxMode) {
  return sandboxMode ? el("span", { class: "tag sandbox", text: "sandbox mode" }) : el("span", { class: "tag live-mode", text: "send" });
}

// MARK: list

async function loadList(quiet) {
  const cursor = state.cursors[state.page];
  let path = "/messages?view=summary&limit=" + PAGE_SIZE;
  if (cursor) path += "&before=" + encodeURIComponent(cursor);
  if (state.q) path += "&q=" + encodeURIComponent(state.q);
  let data;
  try {
    data = await api(path);
  } catch (error) {
    if (cursor) { state.cursors = [null]; state.page = 0; return loadList(quiet); }
    $("live").textContent = "Cannot reach the sandbox";
    return;
  }
  renderStored(data.stored);
  const key = JSON.stringify(data.messages.map((m) => [m.id, m.schedule])) + data.next_before;
  if (key === state.listKey) return;
  const fresh = state.listKey !== "" && quiet;
  state.listKey = key;
  renderRows(data.messages);
  state.cursors[state.page + 1] = data.next_before;
  $("older").disabled = !data.next_before;
  $("newer").disabled = state.page === 0;
  $("page-label").textContent = "Page " + (state.page + 1);
  $("count").textContent = state.q ? "(" + data.messages.length + (data.next_before ? "+" : "") + " matching)" : "(" + data.stored.count + ")";
  if (fresh) $("live").textContent = "Updated " + new Date().toLocaleTimeString();
}

function renderRows(messages) {
  const rows = messages.map((m) => {
    const extra = [m.cc_count ? "+" + m.cc_count + " cc" : null, m.bcc_count ? "+" + m.bcc_count + " bcc" : null].filter(Boolean).join(", ");
    const title = m.subject || (m.template_id ? "template " + m.template_id : "(no subject)");
    const link = el("a", { href: "#/m/" + m.id, text: title });
    const hold = m.schedule ? el("span", { class: "tag hold", text: m.schedule }) : null;
    const row = el("tr", { "data-id": m.id },
      el("td", { class: "when" }, el("time", { datetime: m.received_at, text: when(m.received_at) })),
      el("td", { class: "to" }, (m.to || "") + (m.to_count > 1 ? " +" + (m.to_count - 1) : ""), extra ? el("span", { class: "muted", text: " (" + extra + ")" }) : null),
      el("td", { class: "subject" }, link, " ", hold, m.attachments ? el("span", { class: "muted", text: " · " + m.attachments + (m.attachments === 1 ? " attachment" : " attachments") }) : null),
      el("td", { class: "categories" }, m.categories.map((c) => el("span", { class: "tag", text: c }))),
      el("td", { class: "mode" }, modeTag(m.sandbox_mode)),
      el("td", { class: "key" }, el("code", { title: m.key_fingerprint || "", text: (m.key_fingerprint || "none").replace(/^sha256:/, "") })));
    row.addEventListener("click", (event) => { if (event.target.tagName !== "A") location.hash = "#/m/" + m.id; });
    return row;
  });
  $("rows").replaceChildren(...rows);
  $("empty").hidden = messages.length > 0;
  $("list").hidden = messages.length === 0;
}

function renderStored(stored) {
  const mib = (bytes) => (bytes / 1048576).toFixed(bytes < 1048576 ? 3 : 1) + " MiB";
  $("stored").replaceChildren(
    el("dt", { text: "messages" }), el("dd", { text: stored.count + " of at most " + stored.max_messages }),
    el("dt", { text: "bytes" }), el("dd", { text: mib(stored.bytes) + " of " + mib(stored.max_bytes) }));
}

async function loadPanel() {
  try {
    const [stats, faults] = await Promise.all([api("/stats"), api("/faults")]);
    const rows = [];
    const add = (name, value) => rows.push(el("dt", { text: name }), el("dd", { text: String(value) }));
    add("total", stats.total);
    for (const [status, count] of Object.entries(stats.requests)) add("status " + status, count);
    add("dropped", stats.dropped);
    add("stalled", stats.stalled);
    add("connections", stats.connections);
    for (const [key, count] of Object.entries(stats.requests_by_key)) add(shortKey(key), count);
    if (stats.requests_by_key_overflow) add("other keys", stats.requests_by_key_overflow);
    $("stats").replaceChildren(...rows);
    $("faults").textContent = JSON.stringify(faults, null, 2);
  } catch (error) { /* the list reports an unreachable sandbox */ }
}

// MARK: message

function section(title, ...content) {
  return el("section", { "aria-label": title }, el("h3", { text: title }), ...content);
}

function pairs(object) {
  const entries = Object.entries(object || {});
  if (entries.length === 0) return el("p", { class: "muted", text: "none" });
  return el("dl", {}, entries.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, k === "mailroom_job" ? el("code", { text: String(v), title: "the worker's job id" }) : typeof v === "string" ? v : JSON.stringify(v))]));
}

function addresses(list) {
  return (list || []).map((a) => (a.name ? a.name + " <" + a.email + ">" : a.email)).join(", ");
}

async function showMessage(id) {
  $("list-view").hidden = true;
  $("message-view").hidden = false;
  state.current = id;
  let record, summary;
  try {
    [record, summary] = await Promise.all([api("/messages/" + encodeURIComponent(id)), api("/messages/" + encodeURIComponent(id) + "/summary")]);
  } catch (error) {
    $("message-title").textContent = "No message " + id + " (deleted, or evicted by the store's budget)";
    $("message").replaceChildren();
    return;
  }
  if (state.current !== id) return;
  const request = record.request || {};
  const content = request.content || [];
  const html = content.find((c) => (c.type || "").toLowerCase() === "text/html");
  const text = content.find((c) => (c.type || "").toLowerCase() === "text/plain");
  const personalizations = request.personalizations || [];
  $("message-title").textContent = summary.subject || (request.template_id ? "Template " + request.template_id : "(no subject)");
  const parts = [];
  parts.push(section("Summary", el("dl", {},
    el("dt", { text: "received" }), el("dd", { text: when(record.received_at) }),
    el("dt", { text: "message id" }), el("dd", {}, el("code", { text: record.id })),
    el("dt", { text: "from" }), el("dd", { text: addresses([request.from]) }),
    el("dt", { text: "to" }), el("dd", { text: personalizations.map((p) => addresses(p.to)).join("; ") }),
    el("dt", { text: "mode" }), el("dd", {}, modeTag(record.sandbox_mode)),
    el("dt", { text: "key" }), el("dd", {}, el("code", { text: record.key_fingerprint || "none" })),
    request.batch_id ? [el("dt", { text: "batch" }), el("dd", {}, el("code", { text: request.batch_id }))] : null,
    summary.send_at ? [el("dt", { text: "send at" }), el("dd", { text: new Date(summary.send_at * 1000).toLocaleString() })] : null,
    summary.schedule ? [el("dt", { text: "schedule" }), el("dd", {}, el("span", { class: "tag hold", text: summary.schedule }))] : null)));
  if (html) {
    parts.push(section("HTML part", el("iframe", { src: "/messages/" + encodeURIComponent(id) + "/html", sandbox: "", title: "HTML part of the message", referrerpolicy: "no-referrer" })));
  }
  if (text) parts.push(section("Text part", el("pre", { class: "text-part", text: text.value })));
  const others = content.filter((c) => c !== html && c !== text);
  for (const other of others) parts.push(section("Part " + other.type, el("pre", { text: other.value })));
  if (request.template_id) {
    parts.push(section("Template", el("p", {}, "Template id ", el("code", { class: "template-id", text: request.template_id })),
      personalizations.map((p, i) => el("div", {}, el("h4", { text: "dynamic_template_data, personalization " + (i + 1) }), el("pre", { class: "template-data", text: JSON.stringify(p.dynamic_template_data || {}, null, 2) })))));
  }
  parts.push(section("Personalizations", personalizations.map((p, i) => el("table", {},
    el("caption", { class: "visually-hidden", text: "Personalization " + (i + 1) }),
    el("tbody", {}, [["to", addresses(p.to)], ["cc", addresses(p.cc)], ["bcc", addresses(p.bcc)], ["subject", p.subject], ["send_at", p.send_at],
      ["headers", p.headers && JSON.stringify(p.headers)], ["custom_args", p.custom_args && JSON.stringify(p.custom_args)], ["substitutions", p.substitutions && JSON.stringify(p.substitutions)]]
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => el("tr", {}, el("th", { scope: "row", text: k }), el("td", { text: String(v) }))))))));
  parts.push(section("Headers", pairs(request.headers)));
  parts.push(section("Categories", (request.categories || []).length ? el("p", {}, request.categories.map((c) => el("span", { class: "tag", text: c }))) : el("p", { class: "muted", text: "none" })));
  parts.push(section("Custom args", pairs(request.custom_args)));
  const attachments = request.attachments || [];
  parts.push(section("Attachments", attachments.length ? el("ul", { class: "attachments" }, attachments.map((a, i) => el("li", {},
    el("a", { href: "/messages/" + encodeURIComponent(id) + "/attachments/" + i, download: a.filename || "attachment", text: a.filename || "attachment " + i }),
    el("span", { class: "muted", text: " " + (a.type || "no type") + ", " + Math.floor(((a.content || "").length * 3) / 4) + " bytes" + (a.disposition === "inline" ? ", inline" : "") })))) : el("p", { class: "muted", text: "none" })));
  parts.push(el("section", { "aria-label": "Raw request" }, el("details", {}, el("summary", { text: "Raw request JSON" }), el("pre", { class: "raw", text: JSON.stringify(request, null, 2) }))));
  $("message").replaceChildren(...parts);
  $("message-title").focus();
}

function showList() {
  state.current = null;
  $("message-view").hidden = true;
  $("list-view").hidden = false;
  state.listKey = "";
  loadList(false);
}

function route() {
  const match = location.hash.match(/^#\/m\/([A-Za-z0-9_-]+)$/);
  if (match) showMessage(match[1]); else showList();
}

// MARK: actions and keys

async function deleteOne() {
  if (!state.current) return;
  await api("/messages/" + encodeURIComponent(state.current), { method: "DELETE" });
  $("live").textContent = "Message deleted";
  location.hash = "#/";
}

async function deleteAll() {
  if (!confirm("Delete every message this sandbox holds?")) return;
  await api("/messages", { method: "DELETE" });
  $("live").textContent = "All messages deleted";
  state.cursors = [null]; state.page = 0;
  if (location.hash === "#/" || location.hash === "") showList(); else location.hash = "#/";
}

function moveSelection(step) {
  const links = [...document.querySelectorAll("#rows td.subject a")];
  if (links.length === 0) return;
  const index = links.indexOf(document.activeElement);
  const next = links[Math.max(0, Math.min(links.length - 1, index < 0 ? 0 : index + step))];
  document.querySelectorAll("#rows tr.current").forEach((row) => row.classList.remove("current"));
  next.closest("tr").classList.add("current");
  next.focus();
}

function onKey(event) {
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (event.key === "Escape") { if (typing) document.activeElement.blur(); else if (state.current) location.hash = "#/"; return; }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "/") { event.preventDefault(); $("q").focus(); }
  else if (event.key === "j" && !state.current) moveSelection(1);
  else if (event.key === "k" && !state.current) moveSelection(-1);
}

function start() {
  $("message-title").tabIndex = -1;
  let typingTimer = null;
  $("q").addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { state.q = $("q").value.trim(); state.cursors = [null]; state.page = 0; state.listKey = ""; loadList(false); }, 200);
  });
  $("search").addEventListener("submit", (event) => { event.preventDefault(); state.q = $("q").value.trim(); state.cursors = [null]; state.page = 0; state.listKey = ""; loadList(false); });
  $("older").addEventListener("click", () => { if (state.cursors[state.page + 1]) { state.page += 1; state.listKey = ""; loadList(false); } });
  $("newer").addEventListener("click", () => { if (state.page > 0) { state.page -= 1; state.listKey = ""; loadList(false); } });
  $("delete-all").addEventListener("click", deleteAll);
  $("delete-one").addEventListener("click", deleteOne);
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", route);
  route();
  loadPanel();
  state.timer = setInterval(() => { if (!document.hidden) { if (!state.current) loadList(true); loadPanel(); } }, POLL_MS);
}

document.addEventListener("DOMContentLoaded", start);
