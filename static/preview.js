/* Editor preview only (never in a published build): shows build errors over the page, keeps the
 * scroll position across live reloads, and (serve --follow) goes to the answer just saved. */
(function () {
  "use strict";
  var root = document.currentScript.getAttribute("data-root");
  var here = window.location.pathname;
  var key = "svarsarkivet-scroll:" + here;
  var BUILD_KEY = "svarsarkivet-build";  // the last build this tab saw; a live reload must not forget it

  try {
    var saved = window.sessionStorage.getItem(key);
    if (saved !== null) window.scrollTo(0, parseInt(saved, 10) || 0);
    window.addEventListener("pagehide", function () { window.sessionStorage.setItem(key, String(window.scrollY)); });
  } catch (e) { /* no session storage: the reload starts at the top */ }

  function show(errors) {
    var box = document.getElementById("preview-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "preview-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;background:#7a0010;color:#fff;" +
        "font:14px/1.4 monospace;padding:1rem;z-index:1000;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "Bygget misslyckades; sidan visar det senaste lyckade bygget.\n\n" + errors.join("\n");
  }

  function follow(status) {
    var seen;
    try { seen = window.sessionStorage.getItem(BUILD_KEY); } catch (e) { return; }
    if (seen === String(status.build)) return;
    window.sessionStorage.setItem(BUILD_KEY, String(status.build));
    if (seen === null || !status.edited) return;
    if (here.slice(-status.edited.length) !== status.edited) window.location.href = root + status.edited;
  }

  function poll() {
    fetch(root + "_preview/status.json", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : { errors: [] }; })
      .then(function (s) { show(s.errors || []); follow(s); })
      .catch(function () {});
  }
  poll();
  setInterval(poll, 1000);
})();
