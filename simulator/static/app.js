// The simulator page. Everything anyone typed is put on the page as text nodes, never as
// HTML: formatting comes from Telegram's message entities, turned into DOM elements here.
"use strict";

const S = {
  texts: null,        // {id: {...}, en: {...}}
  state: null,        // the latest /api/state
  version: -1,
  generation: null,
  person: localStorage.getItem("sim.person") || "facilitator",
  chat: null,         // the open chat's id, or null for the chat list
  drafts: {},         // "person:chat" -> text typed but not sent
  replyTo: {},        // "person:chat" -> message id being replied to
  seen: {},           // "person:chat" -> highest message id seen
  rendered: "",       // signature of the drawn chat, to redraw only on change
  drawn: "",          // "person:chat" drawn last, to scroll a newly opened chat to the end
  busy: false,
};

const $ = (id) => document.getElementById(id);
const key = (person, chat) => `${person}:${chat}`;
const quiet = (promise) => promise.catch(() => {}); // post() already told the user

// -- texts ------------------------------------------------------------------------------

function tr(name, params) {
  const lang = (S.state && S.state.language) || "id";
  const table = (S.texts && S.texts[lang]) || {};
  let text = table[name] ?? (S.texts && S.texts.id[name]) ?? name;
  for (const [k, v] of Object.entries(params || {})) text = text.split(`{${k}}`).join(String(v));
  return text;
}

function applyTexts() {
  const lang = (S.state && S.state.language) || "id";
  document.documentElement.lang = lang;
  document.title = tr("title");
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = tr(el.dataset.t);
  for (const el of document.querySelectorAll("[data-t-title]")) el.title = tr(el.dataset.tTitle);
  for (const el of document.querySelectorAll("[data-t-placeholder]")) el.placeholder = tr(el.dataset.tPlaceholder);
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.classList.toggle("active", button.dataset.lang === lang);
  }
}

// -- talking to the simulator -------------------------------------------------------------

async function post(path, payload) {
  const options = { method: "POST", headers: { "X-Simulator": "1" } };
  if (payload instanceof FormData) {
    options.body = payload;
  } else {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(payload || {});
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    toast(tr("offline"));
    throw error;
  }
  const data = await response.json().catch(() => ({ error: "bad_request" }));
  if (!response.ok || data.error) {
    toast(tr(`errors.${data.error || "bad_request"}`));
    throw new Error(data.error || "bad_request");
  }
  return data;
}

async function pollState() {
  for (;;) {
    try {
      const response = await fetch(`/api/state?since=${S.version}&wait=1`);
      if (!response.ok) throw new Error(String(response.status));
      receive(await response.json());
      $("offline").classList.add("hidden");
    } catch (error) {
      $("offline").classList.remove("hidden");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function receive(state) {
  const languageChanged = !S.state || S.state.language !== state.language;
  if (S.generation !== null && state.generation !== S.generation) {
    // The demo started over: forget what belonged to the old one.
    S.drafts = {}; S.replyTo = {}; S.seen = {}; S.chat = null;
  }
  S.generation = state.generation;
  S.state = state;
  S.version = state.version;
  if (!state.people.some((p) => p.key === S.person)) S.person = state.people[0].key;
  if (languageChanged) { applyTexts(); S.rendered = ""; }
  render();
}

// -- helpers ------------------------------------------------------------------------------

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function me() { return S.state.people.find((p) => p.key === S.person); }
function chatById(id) { return S.state.chats[String(id)]; }
function locale() { return S.state.language === "en" ? "en-GB" : "id-ID"; }

function formatTime(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale(), {
    hour: "2-digit", minute: "2-digit", hour12: false, timeZone: S.state.timezone,
  }).format(new Date(iso));
}

function formatDay(iso) {
  return new Intl.DateTimeFormat(locale(), {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: S.state.timezone,
  }).format(new Date(iso));
}

function formatClock(iso) {
  return new Intl.DateTimeFormat(locale(), {
    weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit",
    minute: "2-digit", hour12: false, timeZone: S.state.timezone,
  }).format(new Date(iso));
}

const COLORS = ["#e17076", "#7bc862", "#e5ca77", "#65aadd", "#a695e7", "#ee7aae", "#6ec9cb", "#faa774"];

function avatar(name, id, size) {
  const initials = name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]).join("").toUpperCase();
  const node = el("span", `avatar ${size || ""}`, initials || "?");
  node.style.background = COLORS[Math.abs(Number(id)) % COLORS.length];
  return node;
}

function nameColor(id) { return COLORS[Math.abs(Number(id)) % COLORS.length]; }

function chatTitle(chat) { return chat.type === "private" ? S.state.bot.name : chat.title; }

function unread(person, chat) {
  const seen = S.seen[key(person.key, chat.id)] || 0;
  return chat.messages.filter((m) => m.id > seen && m.from.id !== person.id && !m.service).length;
}

function markSeen(person, chat) {
  const last = chat.messages.length ? chat.messages[chat.messages.length - 1].id : 0;
  S.seen[key(person.key, chat.id)] = last;
}

function preview(message, chat, person) {
  let text = message.text;
  if (!text) {
    if (message.poll) text = `📊 ${message.poll.question}`;
    else if (message.document) text = `📄 ${message.document.name}`;
    else if (message.photo !== undefined) text = `🖼 ${tr("photo")}`;
    else if (message.service) text = tr("joined", { names: message.service.names.join(", ") });
    else text = "";
  }
  const line = text.split("\n")[0];
  const who = message.from.id === person.id ? tr("you") : (chat.type !== "private" ? message.from.name : "");
  return { who, line };
}

// -- drawing ------------------------------------------------------------------------------

function render() {
  const state = S.state;
  const person = me();
  $("clock").textContent = formatClock(state.clock);
  $("phone-time").textContent = formatTime(state.clock);
  $("phone-label").textContent = `${tr("holding", { name: person.name })} · ${tr(`roles.${person.role}`)}`;
  if (S.chat !== null && !person.chats.includes(S.chat)) S.chat = null;
  if (S.chat === null) renderList(person); else renderChat(person, chatById(S.chat));
  renderPeople(); // after the open chat was marked as read
}

function renderPeople() {
  const list = $("people");
  list.replaceChildren();
  for (const person of S.state.people) {
    const item = el("li");
    const button = el("button", `person${person.key === S.person ? " active" : ""}`);
    button.type = "button";
    button.dataset.person = person.key;
    button.append(avatar(person.name, person.id, "small"));
    const who = el("span", "who");
    who.append(el("div", "name", person.name), el("div", "role", tr(`roles.${person.role}`)));
    button.append(who);
    const count = person.chats.reduce((sum, id) => {
      const chat = chatById(id);
      return sum + (chat ? unread(person, chat) : 0);
    }, 0);
    if (count) button.append(el("span", "badge", String(count)));
    button.addEventListener("click", () => switchPerson(person.key));
    item.append(button);
    list.append(item);
  }
}

function renderList(person) {
  $("screen-list").classList.remove("hidden");
  $("screen-chat").classList.add("hidden");
  S.rendered = "";
  S.drawn = "";
  const list = $("chat-list");
  list.replaceChildren();
  for (const id of person.chats) {
    const chat = chatById(id);
    if (!chat) continue;
    const row = el("button", "chat-row");
    row.type = "button";
    row.dataset.chat = String(chat.id);
    row.dataset.kind = chat.type === "private" ? "bot" : "group";
    row.append(avatar(chatTitle(chat), chat.id));
    const body = el("div", "body");
    const top = el("div", "line");
    const last = chat.messages[chat.messages.length - 1];
    top.append(el("span", "title", chatTitle(chat)), el("span", "time", last ? formatTime(last.date) : ""));
    const bottom = el("div", "line");
    const text = el("span", "preview");
    if (last) {
      const { who, line } = preview(last, chat, person);
      if (who) text.append(el("b", null, `${who}: `));
      text.append(document.createTextNode(line));
    } else {
      text.textContent = tr("no_messages");
    }
    bottom.append(text);
    const count = unread(person, chat);
    if (count) bottom.append(el("span", "badge", String(count)));
    body.append(top, bottom);
    row.append(body);
    row.addEventListener("click", () => openChat(chat.id));
    const item = el("li");
    item.append(row);
    list.append(item);
  }
}

function renderChat(person, chat) {
  $("screen-list").classList.add("hidden");
  $("screen-chat").classList.remove("hidden");
  const signature = JSON.stringify([person.key, chat, S.state.language, S.replyTo[key(person.key, chat.id)] || 0]);
  markSeen(person, chat);
  if (signature === S.rendered) return;
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const firstDraw = S.drawn !== key(person.key, chat.id);
  S.drawn = key(person.key, chat.id);
  S.rendered = signature;

  $("chat-title").textContent = chatTitle(chat);
  $("chat-subtitle").textContent = chat.type === "private" ? tr("bot") : tr("members", { count: chat.members });
  $("chat-avatar").replaceWith(Object.assign(avatar(chatTitle(chat), chat.id, "small"), { id: "chat-avatar" }));

  const nodes = [];
  let day = null;
  for (const message of chat.messages) {
    const thisDay = message.date ? formatDay(message.date) : day;
    if (thisDay && thisDay !== day) {
      const chip = el("div", "day");
      chip.append(el("span", null, thisDay));
      nodes.push(chip);
      day = thisDay;
    }
    nodes.push(renderMessage(message, chat, person));
  }
  if (!chat.messages.length) {
    const empty = el("div", "empty");
    empty.append(el("span", null, chat.type === "private" ? tr("start_hint") : tr("no_messages")));
    nodes.push(empty);
  }
  box.replaceChildren(...nodes);
  if (atBottom || firstDraw) box.scrollTop = box.scrollHeight;

  const isNew = chat.type === "private" && chat.messages.length === 0;
  $("start-bar").classList.toggle("hidden", !isNew);
  $("composer").classList.toggle("hidden", isNew);
  renderReplyBar(person, chat);
  renderKeyboard(chat);
  const input = $("composer-input");
  const draft = S.drafts[key(person.key, chat.id)] || "";
  if (input.dataset.for !== key(person.key, chat.id)) {
    input.value = draft;
    input.dataset.for = key(person.key, chat.id);
  }
}

function renderMessage(message, chat, person) {
  if (message.service) {
    const line = el("div", "service");
    line.append(el("span", null, tr("joined", { names: message.service.names.join(", ") })));
    return line;
  }
  const mine = message.from.id === person.id;
  const wrap = el("div", `msg ${mine ? "out" : "in"}`);
  wrap.dataset.id = String(message.id);
  wrap.dataset.from = message.from.is_bot ? "bot" : String(message.from.id);
  const bubble = el("div", "bubble");
  if (!mine && chat.type !== "private") {
    const sender = el("div", "sender", message.from.name);
    sender.style.color = message.from.is_bot ? "#3390ec" : nameColor(message.from.id);
    bubble.append(sender);
  }
  if (message.reply_to) bubble.append(renderQuote(message.reply_to));
  if (message.photo) {
    // A tap opens the full picture, as in Telegram: a chart is read at full size.
    const link = el("a", "photo-link");
    link.href = `/api/file/${encodeURIComponent(message.photo)}`;
    link.target = "_blank";
    link.rel = "noopener";
    const img = el("img", "photo");
    img.src = link.href;
    img.alt = tr("photo");
    link.append(img);
    bubble.append(link);
  } else if (message.photo_url) {
    bubble.append(el("div", "text", `🖼 ${tr("photo")}`));
  }
  if (message.document) bubble.append(renderDocument(message.document));
  if (message.poll) bubble.append(renderPoll(message, chat, person));
  if (message.other) bubble.append(el("div", "text", `[${tr(message.other)}]`));
  const meta = el("span", "meta", `${message.edited ? tr("edited") + " " : ""}${formatTime(message.date)}${mine ? " ✓✓" : ""}`);
  if (message.text) {
    const text = el("div", "text");
    text.append(renderEntities(message.text, message.entities || []), meta);
    bubble.append(text);
  } else {
    bubble.append(meta);
  }
  const column = el("div", "column");
  column.append(bubble);
  if (message.buttons && message.buttons.length) column.append(renderButtons(message, chat));
  const reply = el("button", "reply-action", "↩");
  reply.type = "button";
  reply.title = tr("reply");
  reply.addEventListener("click", () => startReply(message));
  bubble.addEventListener("dblclick", () => startReply(message));
  wrap.append(column, reply);
  return wrap;
}

function renderQuote(quote) {
  const box = el("div", "reply-quote");
  box.append(el("b", null, quote.name));
  box.append(el("span", null, quote.text || (quote.kind ? tr(quote.kind) : "")));
  box.addEventListener("click", () => {
    const target = document.querySelector(`#messages .msg[data-id="${Number(quote.id)}"]`);
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    target.classList.add("flash");
    setTimeout(() => target.classList.remove("flash"), 900);
  });
  return box;
}

function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

function renderDocument(doc) {
  const link = el(doc.file_id ? "a" : "div", "doc");
  if (doc.file_id) {
    link.href = `/api/file/${encodeURIComponent(doc.file_id)}`;
    link.setAttribute("download", doc.name);
    link.title = tr("download");
  }
  const ext = (doc.name.includes(".") ? doc.name.split(".").pop() : "").slice(0, 4).toUpperCase();
  link.append(el("span", "doc-icon", ext || "⬇"));
  const info = el("span");
  info.append(el("div", "doc-name", doc.name), el("div", "doc-size", `${sizeText(doc.size)} · ${tr("download")}`));
  link.append(info);
  return link;
}

function renderPoll(message, chat, person) {
  const poll = message.poll;
  const box = el("div", "poll");
  box.append(el("div", "poll-q", poll.question));
  const kind = poll.type === "quiz" ? (poll.anonymous ? "anonymous_quiz" : "quiz") : (poll.anonymous ? "anonymous_poll" : "poll");
  box.append(el("div", "poll-kind", poll.closed ? tr("poll_closed") : tr(kind)));
  const mine = poll.votes[String(person.id)] || [];
  const showResults = poll.closed || mine.length > 0;
  poll.options.forEach((option, index) => {
    if (!showResults) {
      const button = el("button", "poll-option", option.text);
      button.type = "button";
      button.dataset.option = String(index);
      button.addEventListener("click", () => quiet(vote(chat.id, message.id, index)));
      box.append(button);
      return;
    }
    const pct = poll.total ? Math.round((option.voters * 100) / poll.total) : 0;
    const row = el("div", "poll-result");
    const line = el("div", "row");
    const correct = poll.type === "quiz" && poll.correct.includes(index);
    const chosen = mine.includes(index);
    let mark = "";
    let tone = "";
    if (correct) { mark = "✓"; tone = "good"; } else if (chosen) { mark = poll.type === "quiz" ? "✗" : "✓"; tone = poll.type === "quiz" ? "bad" : ""; }
    line.append(el("span", "pct", `${pct}%`), el("span", `mark ${tone}`, mark), el("span", null, option.text));
    const bar = el("div", `bar ${tone}`);
    bar.style.width = `calc(${pct}% - 62px)`;
    row.append(line, bar);
    box.append(row);
  });
  box.append(el("div", "poll-total", tr("votes", { count: poll.total })));
  if (showResults && poll.type === "quiz" && poll.explanation) {
    box.append(el("div", "poll-explain", `${tr("explanation")}: ${poll.explanation}`));
  }
  return box;
}

function renderButtons(message, chat) {
  const board = el("div", "inline-keyboard");
  for (const row of message.buttons) {
    const line = el("div", "inline-row");
    for (const button of row) {
      const node = el("button", `inline-btn${button.url ? " url" : ""}`, button.text);
      node.type = "button";
      node.title = button.text;
      if (button.data !== undefined) {
        node.dataset.data = button.data;
        node.addEventListener("click", () => quiet(press(chat.id, message.id, button.data, node)));
      } else if (button.url) {
        node.addEventListener("click", () => quiet(openUrl(button.url)));
      }
      line.append(node);
    }
    board.append(line);
  }
  return board;
}

// Telegram's entities, offsets in UTF-16 code units (which is how JavaScript strings count).
function renderEntities(text, entities) {
  const fragment = document.createDocumentFragment();
  const cuts = new Set([0, text.length]);
  for (const e of entities) {
    cuts.add(Math.max(0, Math.min(text.length, e.offset)));
    cuts.add(Math.max(0, Math.min(text.length, e.offset + e.length)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i];
    const end = points[i + 1];
    const active = entities
      .filter((e) => e.offset <= start && e.offset + e.length >= end)
      .sort((a, b) => a.offset - b.offset || b.length - a.length);
    let node = document.createTextNode(text.slice(start, end));
    for (let j = active.length - 1; j >= 0; j--) {
      const wrapper = entityElement(active[j], text);
      wrapper.append(node);
      node = wrapper;
    }
    fragment.append(node);
  }
  return fragment;
}

function safeHref(url) {
  return /^(https?:|mailto:|tel:)/i.test(url) ? url : null;
}

function entityElement(entity, text) {
  const whole = text.slice(entity.offset, entity.offset + entity.length);
  switch (entity.type) {
    case "bold": return el("strong");
    case "italic": return el("em");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": return el("pre");
    case "blockquote":
    case "expandable_blockquote": return el("span", "quote");
    case "spoiler": {
      const node = el("span", "spoiler");
      node.addEventListener("click", () => node.classList.add("shown"));
      return node;
    }
    case "text_link": return link(entity.url);
    case "url": return link(/^https?:/i.test(whole) ? whole : `https://${whole}`);
    case "email": return link(`mailto:${whole}`);
    case "phone_number": return link(`tel:${whole}`);
    case "bot_command": {
      const node = el("span", "cmd");
      node.addEventListener("click", () => quiet(sendText(whole)));
      return node;
    }
    default: return el("span", entity.type.replace(/[^a-z_]/g, ""));
  }
}

function link(url) {
  const href = safeHref(url || "");
  const node = el("a");
  if (!href) return node;
  node.href = href;
  node.target = "_blank";
  node.rel = "noopener noreferrer";
  if (isBotLink(href)) {
    node.addEventListener("click", (event) => { event.preventDefault(); quiet(openUrl(href)); });
  }
  return node;
}

function isBotLink(url) {
  return url.startsWith(`https://t.me/${S.state.bot.username || "p2k2_demo_bot"}`);
}

function renderReplyBar(person, chat) {
  const target = S.replyTo[key(person.key, chat.id)];
  const message = target && chat.messages.find((m) => m.id === target);
  $("reply-bar").classList.toggle("hidden", !message);
  if (!message) return;
  $("reply-name").textContent = message.from.id === person.id ? tr("you") : message.from.name;
  $("reply-text").textContent = preview(message, chat, person).line;
}

function renderKeyboard(chat) {
  const board = $("keyboard");
  board.replaceChildren();
  board.classList.toggle("hidden", !chat.keyboard);
  for (const row of chat.keyboard || []) {
    const line = el("div", "row");
    for (const label of row) {
      const button = el("button", null, label);
      button.type = "button";
      button.addEventListener("click", () => quiet(sendText(label)));
      line.append(button);
    }
    board.append(line);
  }
}

// -- actions ------------------------------------------------------------------------------

function switchPerson(personKey) {
  saveDraft();
  const previous = S.chat !== null ? chatById(S.chat) : null;
  S.person = personKey;
  localStorage.setItem("sim.person", personKey);
  const person = me();
  // Keep the same kind of chat open: the bot chat stays the bot chat, a group stays if shared.
  if (previous) {
    S.chat = previous.type === "private" ? person.id : (person.chats.includes(previous.id) ? previous.id : null);
  }
  S.rendered = "";
  render();
}

function openChat(id) {
  saveDraft();
  S.chat = id;
  S.rendered = "";
  render();
  $("composer-input").focus();
}

function saveDraft() {
  const input = $("composer-input");
  if (input.dataset.for) S.drafts[input.dataset.for] = input.value;
}

function startReply(message) {
  S.replyTo[key(S.person, S.chat)] = message.id;
  S.rendered = "";
  render();
  $("composer-input").focus();
}

async function sendText(text) {
  if (S.chat === null) return;
  const slot = key(S.person, S.chat);
  await post("/api/send", { person: S.person, chat: S.chat, text, reply_to: S.replyTo[slot] || null });
  delete S.replyTo[slot];
}

async function submitComposer(event) {
  event.preventDefault();
  const input = $("composer-input");
  const text = input.value;
  if (!text.trim()) return;
  const slot = key(S.person, S.chat);
  try {
    await sendText(text);
  } catch (error) {
    return; // the text stays in the field: nothing typed is lost
  }
  if (input.dataset.for === slot) input.value = "";
  S.drafts[slot] = "";
  S.rendered = "";
}

async function sendFile() {
  const input = $("file-input");
  const file = input.files && input.files[0];
  input.value = "";
  if (!file || S.chat === null) return;
  const form = new FormData();
  form.append("person", S.person);
  form.append("chat", String(S.chat));
  const caption = $("composer-input").value;
  if (caption.trim()) form.append("caption", caption);
  form.append("file", file, file.name);
  await post("/api/upload", form);
  if (caption.trim()) { $("composer-input").value = ""; S.drafts[key(S.person, S.chat)] = ""; }
}

async function press(chatId, messageId, data, node) {
  node.classList.add("busy");
  try {
    const result = await post("/api/press", { person: S.person, chat: chatId, message: messageId, data });
    if (result.answer) {
      if (result.answer.show_alert) showAlert(result.answer.text); else toast(result.answer.text);
    }
  } finally {
    node.classList.remove("busy");
  }
}

async function vote(chatId, messageId, option) {
  await post("/api/vote", { person: S.person, chat: chatId, message: messageId, option });
}

async function openUrl(url) {
  if (isBotLink(url)) {
    const result = await post("/api/link", { person: S.person, url });
    if (result.chat !== null && result.chat !== undefined) openChat(result.chat);
    return;
  }
  window.open(url, "_blank", "noopener");
}

async function moveTime(step) {
  const buttons = document.querySelectorAll(".time-buttons button");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const result = await post("/api/time", { step });
    $("time-note").textContent = result.nothing_due ? tr("nothing_due") : tr("sent_count", { count: result.sent });
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

async function resetDemo() {
  if (!window.confirm(tr("reset_confirm"))) return;
  $("reset").disabled = true;
  try {
    await post("/api/reset", {});
    toast(tr("reset_done"));
  } finally {
    $("reset").disabled = false;
  }
}

let toastTimer = null;
function toast(text) {
  const node = $("toast");
  node.textContent = text;
  node.classList.remove("hidden");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => node.classList.add("hidden"), 3500);
}

function showAlert(text) {
  $("alert-text").textContent = text;
  $("alert").classList.remove("hidden");
}

// -- start --------------------------------------------------------------------------------

async function main() {
  S.texts = await (await fetch("/api/texts")).json();
  applyTexts();
  $("composer").addEventListener("submit", (event) => quiet(submitComposer(event)));
  $("composer-input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) quiet(submitComposer(event));
  });
  $("composer-input").addEventListener("input", saveDraft);
  $("file-input").addEventListener("change", () => sendFile().catch(() => {}));
  $("back").addEventListener("click", () => { saveDraft(); S.chat = null; render(); });
  $("reply-cancel").addEventListener("click", () => { delete S.replyTo[key(S.person, S.chat)]; S.rendered = ""; render(); });
  $("start-btn").addEventListener("click", () => sendText("/start").catch(() => {}));
  $("alert-ok").addEventListener("click", () => $("alert").classList.add("hidden"));
  $("reset").addEventListener("click", () => resetDemo().catch(() => {}));
  for (const button of document.querySelectorAll("[data-step]")) {
    button.addEventListener("click", () => moveTime(button.dataset.step).catch(() => {}));
  }
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => post("/api/language", { language: button.dataset.lang }).catch(() => {}));
  }
  pollState();
}

main();
