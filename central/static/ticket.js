// The mobile ticket page, live (central/ticket_page.py; docs/mobile-ticket.md). Every few
// seconds it asks GET /api/v1/tickets/<token>; when what the page shows has changed it
// fetches the page itself again and swaps <main>, so every text still comes from the server
// (and its catalogs). Without this script the page refreshes every 30 s (<noscript>).
(function () {
  "use strict";
  var main = document.getElementById("ticket");
  var offline = document.getElementById("offline");
  if (!main || !main.dataset.api || !window.fetch) { return; }
  var api = main.dataset.api;
  var pollMs = Math.max(1, parseFloat(main.dataset.poll) || 5) * 1000;

  function signature(doc) {  // the same as ticket_page.signature
    var wait = doc.wait_min ? doc.wait_min.join("-") : "";
    var ahead = doc.people_ahead === null || doc.people_ahead === undefined ? "" : String(doc.people_ahead);
    return [doc.state, ahead, wait, doc.desk || "", doc.called_at || ""].join("|");
  }

  function swap() {  // the page as the server renders it now
    return fetch(location.href, {cache: "no-store", credentials: "omit"}).then(function (r) {
      return r.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var fresh = page.getElementById("ticket");
      if (!fresh) { throw new Error("no ticket in the page"); }
      main.replaceChildren.apply(main, Array.prototype.map.call(fresh.childNodes, function (n) {
        return document.importNode(n, true);
      }));
      ["class", "data-state", "data-sig"].forEach(function (a) {
        if (fresh.hasAttribute(a)) { main.setAttribute(a, fresh.getAttribute(a)); }
      });
      document.title = page.title;
      document.documentElement.lang = page.documentElement.lang;
      document.documentElement.dir = page.documentElement.dir;
      var updates = document.getElementById("updates");
      if (!fresh.dataset.api) {  // served, no-show or no longer valid: nothing more to follow
        delete main.dataset.api;
        if (updates) { updates.hidden = true; }
      }
    });
  }

  function next(ms) {
    if (main.dataset.api) { window.setTimeout(poll, ms); }
  }

  function poll() {
    fetch(api, {cache: "no-store", credentials: "omit", headers: {"Accept": "application/json"}})
      .then(function (r) {
        if (r.status === 429) {
          return parseFloat(r.headers.get("Retry-After") || "10") * 1000;
        }
        if (r.status === 404) { return swap().then(function () { return pollMs; }); }
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json().then(function (doc) {
          return signature(doc) === main.dataset.sig ? pollMs : swap().then(function () { return pollMs; });
        });
      })
      .then(function (ms) { offline.hidden = true; next(Math.max(ms, pollMs)); },
            function () { offline.hidden = false; next(pollMs); });
  }

  document.body.dataset.live = "poll";
  next(pollMs);
})();
