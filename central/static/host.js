// Open help calls (issue #18) on /host and on the desk page (templates/_help_calls.html):
// pushed by /api/v1/help/stream (server-sent events); while that stream is down the list is
// fetched from /api/v1/help/calls every second and the stream is tried again. "Ik kom eraan"
// and "Klaar" post to /api/v1/help/<id>/coming and /done. How long ago is counted here, on the
// server's clock (the offset from each answer's server_time); a call waiting longer than
// help.prominent_after_s (in each answer) is shown prominently. Texts: JSON in data-strings (central.po help.js.*).
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const box = $("help-calls");
  if (!box) return;
  let strings = {};
  try { strings = JSON.parse(box.dataset.strings); } catch (e) { strings = {}; }
  let prominentS = 60;      // help.prominent_after_s, as each answer says
  const POLL_MS = 1000, STREAM_RETRY_MS = 10000;
  let calls = [];           // as /api/v1/help/calls gives them
  let offsetMs = 0;         // server clock - this clock
  let stream = null, streamUp = false, pollTimer = null;
  const busy = new Set();   // call ids with a post under way

  function t(key, vars) {
    const text = strings[key] || key;
    return text.replace(/\{(\w+)\}/g, (m, name) => (vars && name in vars ? String(vars[name]) : m));
  }

  function showError(msg) {
    const el = $("help-error");
    el.textContent = msg || "";
    el.hidden = !msg;
  }

  function take(doc) {
    if (!doc || !Array.isArray(doc.calls)) return;
    const server = Date.parse(doc.server_time);
    if (!isNaN(server)) offsetMs = server - Date.now();
    if (typeof doc.prominent_after_s === "number") prominentS = doc.prominent_after_s;
    calls = doc.calls;
    render();
  }

  function agoText(s) {
    return s < 60 ? t("ago_s", { n: s }) : t("ago_min", { n: Math.floor(s / 60) });
  }

  function waited(c) {
    const at = Date.parse(c.requested_at);
    return isNaN(at) ? 0 : Math.max(0, Math.floor((Date.now() + offsetMs - at) / 1000));
  }

  function button(cls, text, action, c) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    b.dataset.call = c.id;
    b.disabled = busy.has(c.id);
    b.addEventListener("click", () => act(c.id, action));
    return b;
  }

  function render() {
    const list = $("help-list");
    const items = [];
    for (const c of calls) {
      const s = waited(c);
      const li = document.createElement("li");
      li.id = "help-" + c.id;
      li.dataset.call = c.id;
      li.dataset.state = c.state;
      li.className = c.state === "coming" ? "coming" : (s >= prominentS ? "prominent" : "open");
      const where = document.createElement("p");
      where.className = "where";
      where.textContent = t("kiosk", { device: c.device }) + (c.place ? " \u00b7 " + t("place", { place: c.place }) : "");
      const what = document.createElement("p");
      what.className = "what";
      const ago = document.createElement("span");
      ago.className = "ago";
      ago.textContent = agoText(s);
      const screen = strings["screen." + c.screen] || c.screen;
      what.append(ago, document.createTextNode(" \u00b7 " + t("screen", { screen: screen })));
      if (c.state === "coming") {
        what.append(document.createTextNode(" \u00b7 " + t("taken", { host: c.host })));
      }
      li.append(where, what);
      if (c.state === "open") li.append(button("coming", t("coming"), "coming", c));
      li.append(button("done", t("done"), "done", c));
      items.push(li);
    }
    list.replaceChildren(...items);
    $("help-none").hidden = calls.length > 0;
  }

  async function act(id, action) {
    busy.add(id);
    render();
    try {
      let r;
      try {
        r = await fetch("/api/v1/help/" + encodeURIComponent(id) + "/" + action,
                        { method: "POST", headers: { "Accept": "application/json" }, credentials: "same-origin" });
      } catch (e) { throw new Error(t("unreachable")); }
      if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); return; }
      let data = null;
      try { data = await r.json(); } catch (e) { data = null; }
      if (!r.ok) throw new Error((data && data.detail) || t("answered", { status: r.status }));
      showError("");
      const c = data && data.call;
      if (c) {  // at once, before the stream says it too
        calls = calls.map((x) => (x.id === c.id ? c : x)).filter((x) => x.state === "open" || x.state === "coming");
      }
    } catch (e) {
      showError(e.message);
    } finally {
      busy.delete(id);
      render();
    }
  }

  async function poll() {
    try {
      const r = await fetch("/api/v1/help/calls", { headers: { "Accept": "application/json" }, credentials: "same-origin" });
      if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); return; }
      if (r.ok) { take(await r.json()); showError(""); } else { showError(t("answered", { status: r.status })); }
    } catch (e) {
      showError(t("unreachable"));
    }
  }

  function startPolling() {
    $("help-live").textContent = t("polling");
    if (pollTimer === null) pollTimer = setInterval(poll, POLL_MS);
  }

  function openStream() {
    if (!window.EventSource) { startPolling(); return; }
    streamUp = false;
    stream = new EventSource("/api/v1/help/stream");
    stream.addEventListener("queue", (ev) => {
      let doc = null;
      try { doc = JSON.parse(ev.data); } catch (e) { return; }
      if (!streamUp) {
        streamUp = true;
        if (pollTimer !== null) { clearInterval(pollTimer); pollTimer = null; }
        $("help-live").textContent = t("live");
      }
      showError("");
      take(doc);
    });
    stream.addEventListener("error", () => {
      if (stream.readyState === EventSource.CLOSED || !streamUp) {
        stream.close();
        stream = null;
        startPolling();
        poll();
        setTimeout(openStream, STREAM_RETRY_MS);
      }
    });
  }

  function tick() {  // how long ago, and prominence, move with time (the buttons stay as they are)
    for (const c of calls) {
      const li = document.getElementById("help-" + c.id);
      if (!li) continue;
      const s = waited(c);
      li.querySelector(".ago").textContent = agoText(s);
      if (c.state !== "coming") li.className = s >= prominentS ? "prominent" : "open";
    }
  }

  setInterval(tick, 1000);
  poll();
  openStream();
})();
