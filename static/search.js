/* Svarsarkivet search: lunr.js with lunr-languages' Swedish, over the index the build wrote.
 * The query logic is the same as generator/search_index.py's `search` (a test compares them).
 * Works from file:// too: the index comes as a script (window.SVARSARKIVET_SEARCH), not fetched.
 * Hits and snippets are built as DOM text nodes; nothing typed or stored is ever parsed as HTML. */
(function () {
  "use strict";

  var STOP = {};
  "alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din dina ditt du där då efter ej eller en er era ert ett från för ha hade han hans har henne hennes hon honom hur här i icke ingen inom inte jag ju kan kunde man med mellan men mig min mina mitt mot mycket ni nu när någon något några och om oss på samma sedan sig sin sina sitta själv skulle som så sådan sådana sådant till under upp ut utan vad var vara varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än är åt över"
    .split(" ").forEach(function (w) { STOP[w] = true; });
  var MAX_QUERY = 500;
  var FILTERS = [
    { key: "minister", field: "m", legend: "Minister" },
    { key: "parti", field: "p", legend: "Frågeställarens parti" },
    { key: "ar", field: "y", legend: "År" },
    { key: "typ", field: "k", legend: "Typ" }
  ];

  function fold(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function trim(word) {
    var t = lunr.sv.trimmer(new lunr.Token(word));
    return t ? t.toString() : "";
  }

  function stem(word) {
    return lunr.sv.stemmer(new lunr.Token(word)).toString();
  }

  function queryTerms(query) {
    var phrases = [];
    query.replace(/"([^"]*)"/g, function (_, p) { if (p.trim()) phrases.push(p.trim()); return ""; });
    var words = [];
    query.replace(/"/g, " ").toLowerCase().split(/[\s\-]+/).forEach(function (raw) {
      var w = trim(raw);
      if (w && !STOP[w]) words.push(w);
    });
    return { words: words, phrases: phrases };
  }

  function normalSpace(s) { return s.split(/\s+/).filter(Boolean).join(" "); }

  function search(index, store, query) {
    var terms = queryTerms(query);
    if (!terms.words.length) return [];
    var results = index.query(function (q) {
      terms.words.forEach(function (w) {
        q.term(w, { usePipeline: true });
        q.term(fold(w), { usePipeline: true, fields: ["folded"] });
      });
    });
    var wanted = terms.words.map(function (w) { return [stem(w), stem(fold(w))]; });
    return results.filter(function (r) {
      var matched = r.matchData.metadata;
      var all = wanted.every(function (forms) { return forms.some(function (f) { return f in matched; }); });
      if (!all) return false;
      var doc = store[r.ref];
      var text = normalSpace(fold(doc.x + " " + doc.t).toLowerCase());
      return terms.phrases.every(function (p) { return text.indexOf(normalSpace(fold(p).toLowerCase())) !== -1; });
    }).map(function (r) { return r.ref; });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  var MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];
  function svDate(iso) {
    var p = iso.split("-");
    return parseInt(p[2], 10) + " " + MONTHS[parseInt(p[1], 10) - 1] + " " + p[0];
  }

  /* A stretch of the text around the first matched word, with the matched words marked. */
  function snippet(text, words) {
    var stems = words.map(function (w) { return fold(stem(w)); });
    var tokens = text.split(/(\s+)/);
    var isHit = tokens.map(function (tok) {
      var w = trim(tok.toLowerCase());
      if (!w) return false;
      var s = fold(stem(w));
      return stems.some(function (st) { return st && (s === st || s.indexOf(st) === 0); });
    });
    var first = isHit.indexOf(true);
    var start = Math.max(0, (first === -1 ? 0 : first) - 24);
    var end = Math.min(tokens.length, start + 70);
    var p = el("p", { "class": "snippet" });
    if (start > 0) p.appendChild(document.createTextNode("… "));
    for (var i = start; i < end; i++) {
      p.appendChild(isHit[i] ? el("mark", {}, [tokens[i]]) : document.createTextNode(tokens[i]));
    }
    if (end < tokens.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function hitItem(root, doc, words) {
    var meta = doc.d + " · " + doc.k.charAt(0).toUpperCase() + doc.k.slice(1) + " · besvarad av " + doc.m + " · ";
    return el("li", {}, [
      el("a", { "class": "answer-title", href: root + doc.u }, [doc.t]),
      el("p", { "class": "meta" }, [meta, el("time", { datetime: doc.dt }, [svDate(doc.dt)])]),
      snippet(doc.x, words)
    ]);
  }

  function readParams() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: (params.get("q") || "").slice(0, MAX_QUERY) };
    FILTERS.forEach(function (f) { state[f.key] = params.get(f.key) || ""; });
    return state;
  }

  function writeParams(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FILTERS.forEach(function (f) { if (state[f.key]) params.set(f.key, state[f.key]); });
    var query = params.toString();
    try {
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    } catch (e) { /* some browsers refuse history on file:// pages; the search still works */ }
  }

  function renderFilters(container, state, docs, onChange) {
    container.textContent = "";
    FILTERS.forEach(function (f) {
      var counts = {};
      docs.forEach(function (d) { var v = String(d[f.field]); counts[v] = (counts[v] || 0) + 1; });
      var values = Object.keys(counts).sort();
      if (f.key === "ar") values.reverse();
      if (values.length < 2 && !state[f.key]) return;
      var fs = el("fieldset", {}, [el("legend", {}, [f.legend])]);
      [""].concat(values).forEach(function (v, i) {
        var id = "filter-" + f.key + "-" + i;
        var input = el("input", { type: "radio", name: f.key, id: id, value: v });
        if (state[f.key] === v) input.checked = true;
        input.addEventListener("change", function () { state[f.key] = v; onChange(); });
        fs.appendChild(el("label", { "for": id }, [input, " " + (v || "Alla") + (v ? " (" + counts[v] + ")" : "")]));
      });
      container.appendChild(fs);
    });
    container.hidden = !container.childNodes.length;
  }

  function start() {
    var data = window.SVARSARKIVET_SEARCH;
    var input = document.getElementById("q");
    var form = document.getElementById("search-page-form");
    var status = document.getElementById("search-status");
    var list = document.querySelector("[data-search-results]");
    var filters = document.getElementById("search-filters");
    var root = "../";
    if (!data || !window.lunr || !lunr.sv) {
      status.textContent = "Sökningen kunde inte laddas. Bläddra per minister, parti eller år i stället.";
      return;
    }
    var index = lunr.Index.load(data.index);
    var state = readParams();
    input.value = state.q;

    function run() {
      writeParams(state);
      list.textContent = "";
      var q = state.q.trim();
      if (!q) { status.textContent = ""; filters.hidden = true; return; }
      var refs;
      try {
        refs = search(index, data.store, q);
      } catch (e) {
        status.textContent = "Sökningen förstod inte frågan. Försök med vanliga ord, utan specialtecken.";
        filters.hidden = true;
        return;
      }
      if (!queryTerms(q).words.length) {
        status.textContent = "Skriv minst ett sökord (vanliga småord som ”och” och ”att” söks inte).";
        filters.hidden = true;
        return;
      }
      var docs = refs.map(function (r) { return data.store[r]; });
      renderFilters(filters, state, docs, run);
      var shown = docs.filter(function (d) {
        return FILTERS.every(function (f) { return !state[f.key] || String(d[f.field]) === state[f.key]; });
      });
      var words = queryTerms(q).words;
      shown.forEach(function (d) { list.appendChild(hitItem(root, d, words)); });
      status.textContent = shown.length
        ? shown.length + (shown.length === 1 ? " svar" : " svar") + " för ”" + q + "”."
        : "Inga svar för ”" + q + "”. Pröva färre ord, eller ett annat ord för samma sak.";
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      state.q = input.value.slice(0, MAX_QUERY);
      FILTERS.forEach(function (f) { state[f.key] = ""; });
      run();
    });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = input.value.slice(0, MAX_QUERY); run(); }, 150);
    });
    run();
  }

  window.SvarsarkivetSearch = { search: search, queryTerms: queryTerms };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
