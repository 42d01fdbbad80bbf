/* Svarsarkivet search: lunr.js with lunr-languages' Swedish, over the index the build wrote.
 * The query logic is the same as generator/search_index.py's `search` (a test compares them).
 * The index comes in shards by term, loaded when a query needs them, and each answer's display data
 * and text in a file of its own, loaded for the hits shown. All are scripts, not fetched JSON, so
 * search works from file:// too.
 * Hits and snippets are built as DOM text nodes; nothing typed or stored is ever parsed as HTML. */
(function () {
  "use strict";

  var STOP = {};
  "alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din dina ditt du där då efter ej eller en er era ert ett från för ha hade han hans har henne hennes hon honom hur här i icke ingen inom inte jag ju kan kunde man med mellan men mig min mina mitt mot mycket ni nu när någon något några och om oss på samma sedan sig sin sina sitta själv skulle som så sådan sådana sådant till under upp ut utan vad var vara varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än är åt över"
    .split(" ").forEach(function (w) { STOP[w] = true; });
  var MAX_QUERY = 500;
  var PAGE = 10;
  var PHRASE_CHECKS = 400;
  var DATA = "SVARSARKIVET_DATA";
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

  /* Which shard holds a term: the last whose first term is not after it (strings compare as in Python's utf16_key). */
  function shardOf(manifest, term) {
    var position = 0;
    manifest.shards.forEach(function (s, i) { if (s[0] <= term) position = i; });
    return position;
  }

  /* A column of numbers, one per answer, as the build packs it (search_index.packed): its width, then
   * each number in base 36 in that many digits. */
  function unpacked(column) {
    var width = +column.charAt(0), out = [];
    for (var i = 1; i < column.length; i += width) out.push(parseInt(column.substr(i, width), 36));
    return out;
  }

  /* The manifest's columns, unpacked once: field lengths, their averages over all answers (as
   * lunr.Builder computes them) and the facets. */
  function columns(manifest) {
    if (!manifest.columns) {
      var lengths = manifest.lengths.map(unpacked), facets = {};
      Object.keys(manifest.facets).forEach(function (key) {
        facets[key] = unpacked(manifest.facets[key].of);
      });
      manifest.columns = {
        lengths: lengths, facets: facets,
        averages: lengths.map(function (column) {
          var total = 0;
          for (var i = 0; i < column.length; i++) total += column[i];
          return total / manifest.n;
        })
      };
    }
    return manifest.columns;
  }

  /* The shards a query needs as one lunr.js Index. A shard holds term frequencies; each term is
   * weighed here as lunr.Builder weighs it for the whole index (BM25 with lunr.idf, rounded as Lunr
   * rounds), from the field lengths in the manifest (see generator/search_index.py). Every term of the
   * query is in it, so Lunr scores each answer as the whole index would. */
  function shardsIndex(manifest, shards) {
    var fields = manifest.fields, k1 = manifest.k1, b = manifest.b;
    var lengths = columns(manifest).lengths, averages = columns(manifest).averages;
    var inverted = [], vectors = {}, order = [];
    var entries = {};
    shards.forEach(function (shard) { Object.keys(shard).forEach(function (term) { entries[term] = shard[term]; }); });
    Object.keys(entries).sort().forEach(function (term, i) {
      var posting = { _index: i }, entry = entries[term], numbers = {};
      fields.forEach(function (f) { posting[f] = {}; });
      Object.keys(entry).forEach(function (field) {
        var gaps = entry[field][0], number = 0;
        numbers[field] = gaps.map(function (gap) { number += gap; posting[field][number] = {}; return number; });
      });
      var idf = lunr.idf(posting, manifest.n);
      Object.keys(entry).forEach(function (field) {
        var f = fields.indexOf(field), tfs = entry[field][1];
        numbers[field].forEach(function (number, j) {
          var tf = tfs[j], length = lengths[f][number];
          var score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / averages[f])) + tf);
          score *= manifest.boosts[f];
          var ref = field + "/" + number;
          if (!vectors[ref]) { vectors[ref] = []; order.push(ref); }
          vectors[ref].push(i, Math.round(score * 1000) / 1000);
        });
      });
      inverted.push([term, posting]);
    });
    return lunr.Index.load({
      version: lunr.version, fields: fields, invertedIndex: inverted, pipeline: ["stemmer-sv"],
      fieldVectors: order.map(function (ref) { return [ref, vectors[ref]]; })
    });
  }

  /* A promise of {hits: document numbers, best first; unchecked: candidates a phrase was not checked in}.
   * Every word must match, in any field. loadShard(n) gives a promise of shard n's data, loadDoc(n)
   * of answer n's. The index of the last shards used is kept: a query typed on needs the same ones. */
  var last = { key: null, index: null };
  function search(manifest, loadShard, loadDoc, query) {
    var terms = queryTerms(query);
    if (!terms.words.length) return Promise.resolve({ hits: [], unchecked: 0 });
    var wanted = terms.words.map(function (w) { return [stem(w), stem(fold(w))]; });
    var numbers = {};
    wanted.forEach(function (forms) { forms.forEach(function (f) { numbers[shardOf(manifest, f)] = true; }); });
    numbers = Object.keys(numbers).map(Number).sort(function (a, b) { return a - b; });
    return Promise.all(numbers.map(loadShard)).then(function (shards) {
      var key = numbers.map(function (n) { return manifest.shards[n][1]; }).join(" ");
      if (last.key !== key) last = { key: key, index: shardsIndex(manifest, shards) };
      var scores = {}, matched = {};
      last.index.query(function (q) {
        terms.words.forEach(function (w) {
          q.term(w, { usePipeline: true });
          q.term(fold(w), { usePipeline: true, fields: ["folded"] });
        });
      }).forEach(function (r) {
        scores[r.ref] = r.score;
        matched[r.ref] = r.matchData.metadata;
      });
      var ids = Object.keys(scores).filter(function (ref) {
        return wanted.every(function (forms) { return forms.some(function (f) { return matched[ref][f]; }); });
      }).sort(function (a, b) { return scores[b] - scores[a] || a - b; }).map(Number);
      if (!terms.phrases.length) return { hits: ids, unchecked: 0 };
      // A phrase is checked in the texts, loaded per answer: in the PHRASE_CHECKS best candidates only.
      var checked = ids.slice(0, PHRASE_CHECKS);
      return Promise.all(checked.map(loadDoc)).then(function (docs) {
        var hits = checked.filter(function (id, i) {
          var text = normalSpace(fold(docs[i].x + " " + docs[i].t).toLowerCase());
          return terms.phrases.every(function (p) { return text.indexOf(normalSpace(fold(p).toLowerCase())) !== -1; });
        });
        return { hits: hits, unchecked: ids.length - checked.length };
      });
    });
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

  function hitItem(root, doc, words, query) {
    var meta = doc.d + " · " + doc.k.charAt(0).toUpperCase() + doc.k.slice(1) + " · besvarad av " + doc.m + " · ";
    return el("li", {}, [
      el("a", { "class": "answer-title", href: root + doc.u + "?q=" + encodeURIComponent(query) }, [doc.t]),
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

  /* A data file, loaded once as a script (fetch() does not work from file://). */
  function scriptLoader(root) {
    var pending = {};
    return function (key, path) {
      var loaded = window[DATA] || {};
      if (key in loaded) return Promise.resolve(loaded[key]);
      if (!pending[key]) {
        pending[key] = new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = root + path;
          script.onload = function () {
            var data = (window[DATA] || {})[key];
            if (data) resolve(data); else { delete pending[key]; reject(new Error(path)); }
          };
          script.onerror = function () { delete pending[key]; reject(new Error(path)); };
          document.head.appendChild(script);
        });
      }
      return pending[key];
    };
  }

  function facetValue(manifest, field, id) {
    return manifest.facets[field].names[columns(manifest).facets[field][id]];
  }

  function renderFilters(container, state, manifest, ids, onChange) {
    container.textContent = "";
    FILTERS.forEach(function (f) {
      var counts = {};
      ids.forEach(function (id) { var v = facetValue(manifest, f.field, id); counts[v] = (counts[v] || 0) + 1; });
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
    var manifest = (window[DATA] || {}).manifest;
    var input = document.getElementById("q");
    var form = document.getElementById("search-page-form");
    var status = document.getElementById("search-status");
    var list = document.querySelector("[data-search-results]");
    var filters = document.getElementById("search-filters");
    var more = document.getElementById("search-more");
    var root = "../";
    if (!manifest || !window.lunr || !lunr.sv) {
      status.textContent = "Sökningen kunde inte laddas. Bläddra per minister, parti eller år i stället.";
      return;
    }
    var load = scriptLoader(root);
    function loadShard(n) { return load(manifest.shards[n][1], manifest.shards[n][1]); }
    function loadDoc(n) { return load("d" + n, manifest.docs + "/" + n + ".js"); }

    var state = readParams();
    var hits = [], unchecked = 0, shown = 0, generation = 0;
    input.value = state.q;

    function failed(message) {
      status.textContent = message;
      filters.hidden = true;
      more.hidden = true;
    }

    function matching() {
      return hits.filter(function (id) {
        return FILTERS.every(function (f) { return !state[f.key] || facetValue(manifest, f.field, id) === state[f.key]; });
      });
    }

    /* Shows the next page of hits; the answers' data is loaded only for the hits shown. */
    function showMore(q, mine) {
      var all = matching();
      var next = all.slice(shown, shown + PAGE);
      return Promise.all(next.map(loadDoc)).then(function (docs) {
        if (mine !== generation) return;
        var words = queryTerms(q).words;
        docs.forEach(function (d) { list.appendChild(hitItem(root, d, words, q)); });
        shown += next.length;
        more.hidden = shown >= all.length;
        status.textContent = (all.length
          ? all.length + " svar för ”" + q + "”" + (all.length > shown ? ", de " + shown + " bästa visas." : ".")
          : "Inga svar för ”" + q + "”. Pröva färre ord, eller ett annat ord för samma sak.")
          + (unchecked ? " Frasen söktes bara i de " + PHRASE_CHECKS + " bästa träffarna för orden; lägg till ett ord för att snäva in." : "");
      });
    }

    function showHits(q, mine) {
      list.textContent = "";
      shown = 0;
      renderFilters(filters, state, manifest, hits, function () { writeParams(state); showHits(q, ++generation); });
      return showMore(q, mine);
    }

    function run() {
      writeParams(state);
      var mine = ++generation;
      list.textContent = "";
      more.hidden = true;
      var q = state.q.trim();
      if (!q) { status.textContent = ""; filters.hidden = true; return; }
      if (!queryTerms(q).words.length) {
        failed("Skriv minst ett sökord (vanliga småord som ”och” och ”att” söks inte).");
        return;
      }
      list.setAttribute("aria-busy", "true");
      Promise.resolve().then(function () {
        return search(manifest, loadShard, loadDoc, q);
      }).then(function (found) {
        if (mine !== generation) return;
        hits = found.hits;
        unchecked = found.unchecked;
        return showHits(q, mine);
      }).catch(function () {
        if (mine === generation) failed("Sökningen misslyckades. Försök med vanliga ord, utan specialtecken, eller ladda om sidan.");
      }).then(function () { list.removeAttribute("aria-busy"); });
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      state.q = input.value.slice(0, MAX_QUERY);
      FILTERS.forEach(function (f) { state[f.key] = ""; });
      run();
    });
    more.addEventListener("click", function () {
      if (more.disabled) return;
      more.disabled = true;  // one page at a time, however often it is clicked
      showMore(state.q.trim(), generation).then(function () { more.disabled = false; }, function () { more.disabled = false; });
    });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = input.value.slice(0, MAX_QUERY); run(); }, 150);
    });
    run();
  }

  window.SvarsarkivetSearch = { search: search, queryTerms: queryTerms, shardsIndex: shardsIndex };
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  }
})();
