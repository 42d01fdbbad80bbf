/* Editor preview only (never in a published build): shows build errors over the page. */
(function () {
  "use strict";
  var root = document.currentScript.getAttribute("data-root");
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
  function poll() {
    fetch(root + "_preview/status.json", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : { errors: [] }; })
      .then(function (s) { show(s.errors || []); })
      .catch(function () {});
  }
  poll();
  setInterval(poll, 1000);
})();
