// Desk page: pick desk + services (kept in localStorage), call tickets through /api/v1/desk/.
// The queue comes live from /api/v1/desk/stream (server-sent events); while that stream is
// down the page polls /api/v1/desk/queue every 5 s and tries the stream again.
// Its texts come with the page, in the page's language (JSON in <body data-strings>, from central.po).
"use strict";
(function () {
  const KEY = "kioskCentral.desk";
  const $ = (id) => document.getElementById(id);
  let strings = null;
  function texts() {
    if (!strings) {
      try { strings = JSON.parse(document.body.dataset.strings); } catch (e) { strings = {}; }
    }
    return strings;
  }
  function t(key, vars) {  // the text for desk.js.<key>, with {name} placeholders filled in
    const text = texts()[key] || key;
    return text.replace(/\{(\w+)\}/g, (m, name) => (vars && name in vars ? String(vars[name]) : m));
  }
  function stateText(state) {  // a ticket's state in words; an unknown one as it is
    return texts()["state." + state] || state.replace("_", "-");
  }
  let desk = null;          // {desk: "4", services: ["passport"]}
  let current = null;       // the ticket called at this desk
  let busy = false;
  let stream = null;        // the EventSource while one is open
  let streamUp = false;     // an event came since it (re)connected
  let pushed = 0;           // states the stream delivered; a fetch overtaken by one is not shown
  const POLL_MS = 5000, STREAM_RETRY_MS = 15000;

  function load() {
    try {
      const v = JSON.parse(localStorage.getItem(KEY) || "null");
      if (v && typeof v.desk === "string" && Array.isArray(v.services) && v.services.length) return v;
    } catch (e) { /* a bad stored value: ask again */ }
    return null;
  }

  function showError(msg) {
    const el = $("error");
    el.textContent = msg || "";
    el.hidden = !msg;
  }

  function say(msg) { $("status").textContent = msg; }

  async function api(method, path, body) {
    const opts = { method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    let r;
    try {
      r = await fetch(path, opts);
    } catch (e) {
      throw new Error(t("unreachable"));
    }
    if (r.status === 401) {
      location.href = "/login?next=/desk";
      throw new Error(t("login_ended"));
    }
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (!r.ok) throw new Error((data && data.detail) || t("answered", { status: r.status }));
    return data;
  }

  function serviceBox(name, checked) {
    const id = "svc-" + name.replace(/[^A-Za-z0-9_-]/g, "_");
    if (document.getElementById(id)) { document.getElementById(id).checked = true; return; }
    const label = document.createElement("label");
    label.className = "check";
    const box = document.createElement("input");
    box.type = "checkbox"; box.id = id; box.value = name; box.checked = checked;
    label.append(box, document.createTextNode(name));
    $("service-list").append(label);
  }

  async function showSetup() {
    closeStream();
    $("work").hidden = true;
    $("setup").hidden = false;
    $("desk-name").value = desk ? desk.desk : "";
    $("service-list").textContent = "";
    const chosen = desk ? desk.services : [];
    let known = [];
    try { known = (await api("GET", "/api/v1/desk/services")).services; } catch (e) { showError(e.message); }
    for (const s of new Set([...known, ...chosen])) serviceBox(s, chosen.includes(s));
    if (!known.length && !chosen.length) {
      const p = document.createElement("p");
      p.className = "hint"; p.id = "no-services";
      p.textContent = t("no_services");
      $("service-list").append(p);
    }
    $("desk-name").focus();
  }

  async function saveSetup(ev) {
    ev.preventDefault();
    const name = $("desk-name").value.trim();
    const services = [...document.querySelectorAll("#service-list input:checked")].map((b) => b.value);
    if (!name) { showError(t("need_name")); $("desk-name").focus(); return; }
    if (!services.length) { showError(t("need_service")); return; }
    try {
      await api("POST", "/api/v1/desk/signin", { desk: name, services });
    } catch (e) { showError(e.message); return; }
    desk = { desk: name, services };
    localStorage.setItem(KEY, JSON.stringify(desk));
    showError("");
    showWork();
  }

  function showWork() {
    $("setup").hidden = true;
    $("work").hidden = false;
    $("desk-label").textContent = desk.desk;
    $("desk-services").textContent = t("services", { services: desk.services.join(", ") });
    refresh();
    openStream();
  }

  function minutes(iso) {
    return iso ? new Date(iso).toLocaleTimeString(document.documentElement.lang || [], { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function live(up) {
    streamUp = up;
    document.body.dataset.live = up ? "stream" : "poll";
    $("live").textContent = up ? t("live") : t("polling");
  }

  function closeStream() {
    if (stream) stream.close();
    stream = null;
    live(false);
  }

  function openStream() {
    closeStream();
    if (!desk || typeof EventSource === "undefined") return;
    const es = new EventSource("/api/v1/desk/stream?services=" + encodeURIComponent(desk.services.join(",")));
    stream = es;
    es.addEventListener("queue", (e) => {
      if (stream !== es) return;
      live(true);
      pushed++;
      try { render(JSON.parse(e.data)); } catch (err) { /* a bad event: the next one, or polling */ }
    });
    es.onerror = () => {
      if (stream !== es) return;
      live(false);  // the browser reconnects by itself; meanwhile the page polls
      if (es.readyState === EventSource.CLOSED) {  // refused (login ended, too many streams): later
        stream = null;
        setTimeout(() => { if (!stream && desk && !$("work").hidden) openStream(); }, STREAM_RETRY_MS);
      }
    };
  }

  function reasonText(tk) {  // why a waiting ticket is where it is (desk queue API `reason`)
    if (!tk.reason) return "";
    const key = { appointment: "reason.appointment", priority: "reason.priority", passed: "reason.passed",
                  waited_longest: "reason.waited_longest", transferred: "reason.transferred" }[tk.reason];
    return (key ? t(key, { n: tk.passed }) : tk.reason) + (tk.to_desk ? " " + t("only_desk", { desk: tk.to_desk }) : "");
  }

  function showPause(st) {  // st: desk_state {paused, reason, since}; absent on stream events
    if (!st) return;
    $("paused").hidden = !st.paused;
    $("paused").textContent = st.paused ? t("paused", { reason: st.reason }) : "";
    $("pause").hidden = st.paused;
    $("resume").hidden = !st.paused;
    $("call-next").disabled = st.paused;
  }

  function render(q) {
    showPause(q.desk_state);
    const c = q.counts;
    $("counts").textContent = t("counts", c);
    const mine = q.tickets.filter((x) => x.state === "called" && x.desk === desk.desk);
    const keep = current && mine.find((x) => x.id === current.id);
    current = keep || mine.sort((a, b) => (b.called_at || "").localeCompare(a.called_at || ""))[0] || null;
    $("no-current").hidden = !!current;
    $("current-ticket").hidden = !current;
    if (current) {
      $("current-label").textContent = current.label;
      $("current-info").textContent = current.service + (current.appointment ? t("appointment_note") : "");
    }
    const body = $("queue").tBodies[0];
    body.textContent = "";
    for (const tk of q.tickets) {
      const tr = body.insertRow();
      tr.className = tk.state;
      tr.dataset.id = tk.id;
      const cells = [tk.label, tk.service, tk.appointment ? t("appointment") : t("walk_in"), minutes(tk.issued_at),
                     String(tk.waited_min), stateText(tk.state), tk.desk || "", reasonText(tk)];
      for (const text of cells) tr.insertCell().textContent = text;
      const act = tr.insertCell();
      if (tk.state === "waiting") {
        const b = document.createElement("button");
        b.type = "button"; b.textContent = t("call"); b.className = "call-this";
        b.setAttribute("aria-label", t("call_label", { ticket: tk.label }));
        b.addEventListener("click", () => act_("POST", `/api/v1/desk/tickets/${tk.id}/call`, { desk: desk.desk }, "done.called"));
        act.append(b);
        if (!tk.priority) {
          const p = document.createElement("button");
          p.type = "button"; p.textContent = t("priority"); p.className = "secondary";
          p.setAttribute("aria-label", t("priority_label", { ticket: tk.label }));
          p.addEventListener("click", () => act_("POST", `/api/v1/desk/tickets/${tk.id}/priority`, { desk: desk.desk, priority: true }, "done.priority"));
          act.append(p);
        }
      }
    }
  }

  async function refresh() {
    if (!desk) return;
    const before = pushed;
    try {
      const q = await api("GET", "/api/v1/desk/queue?services=" + encodeURIComponent(desk.services.join(",")) +
                          "&desk=" + encodeURIComponent(desk.desk));
      if (pushed === before) render(q);  // else the stream has shown a newer state meanwhile
    } catch (e) { showError(e.message); }
  }

  async function act_(method, path, body, done) {  // done: the message key, e.g. "done.served"
    if (busy) return;
    busy = true;
    showError("");
    say("");
    let msg = "";
    try {
      const r = await api(method, path, body);
      if (r.desk_state) {
        showPause(r.desk_state);
        msg = t(done, { desk: desk.desk });
      } else if (r.ticket) {
        msg = t(done, { ticket: r.ticket.label });
        if (r.ticket.state === "called") current = r.ticket;
      } else {
        msg = t("nobody", { services: desk.services.join(", ") });
      }
    } catch (e) { showError(e.message); }
    busy = false;
    await refresh();  // the page shows the new state before the message says what happened
    say(msg);
  }

  function onCurrent(action, done) {
    return () => { if (current) act_("POST", `/api/v1/desk/tickets/${current.id}/${action}`, { desk: desk.desk }, done); };
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("setup").addEventListener("submit", saveSetup);
    $("add-service").addEventListener("click", () => {
      const v = $("new-service").value.trim();
      if (!v) { showError(t("need_service_id")); return; }
      const hint = $("no-services");
      if (hint) hint.remove();
      serviceBox(v, true);
      $("new-service").value = "";
    });
    $("change-desk").addEventListener("click", showSetup);
    $("call-next").addEventListener("click", () => act_("POST", "/api/v1/desk/call-next", desk, "done.called"));
    $("recall").addEventListener("click", onCurrent("recall", "done.recalled"));
    $("served").addEventListener("click", onCurrent("served", "done.served"));
    $("no-show").addEventListener("click", onCurrent("no-show", "done.no_show"));
    $("put-back").addEventListener("click", onCurrent("put-back", "done.put_back"));
    $("pause").addEventListener("click", () => {
      const reason = $("pause-reason").value.trim();
      if (!reason) { showError(t("need_reason")); $("pause-reason").focus(); return; }
      act_("POST", "/api/v1/desk/pause", { desk: desk.desk, reason }, "done.paused");
    });
    $("resume").addEventListener("click", () => act_("POST", "/api/v1/desk/resume", { desk: desk.desk }, "done.resumed"));
    $("transfer").addEventListener("click", () => {
      if (!current) return;
      const body = { desk: desk.desk, entry_id: current.id, position: $("to-position").value };
      const svc = $("to-service").value.trim(), to = $("to-desk").value.trim();
      if (svc) body.to_service = svc;
      if (to) body.to_desk = to;
      if (!svc && !to) { showError(t("need_target")); $("to-service").focus(); return; }
      current = null;
      act_("POST", "/api/v1/desk/transfer", body, "done.transferred");
    });
    desk = load();
    if (desk) {
      api("POST", "/api/v1/desk/signin", desk).catch((e) => showError(e.message));
      showWork();
    } else {
      showSetup();
    }
    setInterval(() => { if (!streamUp && !busy && !$("work").hidden) refresh(); }, POLL_MS);
  });
})();
