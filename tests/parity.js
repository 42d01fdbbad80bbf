// Runs the browser's search (static/search.js's logic, with the real lunr.js and lunr-languages)
// on the index the build wrote; prints the hits for each query as JSON.
// usage: node tests/parity.js SEARCH_INDEX_JS QUERIES_JSON
const path = require("path");
const fs = require("fs");
const root = path.resolve(__dirname, "..");
const lunr = require(path.join(root, "node_modules/lunr"));
require(path.join(root, "node_modules/lunr-languages/lunr.stemmer.support"))(lunr);
require(path.join(root, "node_modules/lunr-languages/lunr.sv"))(lunr);
global.window = { location: { search: "" }, history: {} };
global.lunr = lunr;
global.document = { readyState: "loading", addEventListener: () => {} };
eval(fs.readFileSync(process.argv[2], "utf8"));
eval(fs.readFileSync(path.join(root, "static/search.js"), "utf8"));
const data = window.SVARSARKIVET_SEARCH;
const index = lunr.Index.load(data.index);
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
console.log(JSON.stringify(queries.map((q) => window.SvarsarkivetSearch.search(index, data.store, q))));
