/* On an answer page opened from a search hit (…/index.html?q=…): mark the searched words in the text.
 * Text nodes are split and wrapped in <mark>; nothing from the address is parsed as HTML. */
(function () {
  "use strict";
  var q = new URLSearchParams(window.location.search).get("q");
  var body = document.querySelector(".answer .body");
  if (!q || !body) return;

  function fold(s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  // A word matches by its beginning, which covers Swedish endings: "skjutning" marks "skjutningar".
  var stems = q.replace(/"/g, " ").split(/[\s\-]+/).map(fold).map(function (w) {
    w = w.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
    return w.length > 5 ? w.slice(0, w.length - 2) : w;
  }).filter(function (w) { return w.length >= 3; });
  if (!stems.length) return;

  var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  var nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  var marked = 0;
  nodes.forEach(function (node) {
    var parts = node.nodeValue.split(/([^\s.,;:!?()”"'–-]+)/);
    if (parts.length < 2) return;
    var fragment = document.createDocumentFragment();
    parts.forEach(function (part, i) {
      var hit = i % 2 === 1 && stems.some(function (s) { return fold(part).indexOf(s) === 0; });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
        marked += 1;
      } else if (part) {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    node.parentNode.replaceChild(fragment, node);
  });
  var first = body.querySelector("mark");
  if (first && marked) {
    var note = document.createElement("p");
    note.className = "notice";
    note.setAttribute("role", "status");
    note.textContent = marked + (marked === 1 ? " träff" : " träffar") + " för ”" + q.slice(0, 200) + "” är markerade i texten.";
    body.parentNode.insertBefore(note, body);
  }
})();
