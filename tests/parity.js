// Runs the browser's search (static/search.js's logic, with the real lunr.js and lunr-languages)
// on the index files the build wrote; prints the hits for each query as JSON.
// usage: node tests/parity.js SITE_DIR MANIFEST_PATH QUERIES_JSON
const path = require("path");
const fs = require("fs");
const root = path.resolve(__dirname, "..");
const lunr = require(path.join(root, "node_modules/lunr"));
require(path.join(root, "node_modules/lunr-languages/lunr.stemmer.support"))(lunr);
require(path.join(root, "node_modules/lunr-languages/lunr.sv"))(lunr);
global.window = global;
global.lunr = lunr;
const [site, manifestPath, queriesPath] = process.argv.slice(2);
const run = (rel) => eval(fs.readFileSync(path.join(site, rel), "utf8"));
run(manifestPath);
eval(fs.readFileSync(path.join(root, "static/search.js"), "utf8"));
const manifest = window.SVARSARKIVET_DATA.manifest;
const loadShard = (n) => {
  run(manifest.shards[n][1]);
  return Promise.resolve(window.SVARSARKIVET_DATA[manifest.shards[n][1]]);
};
const loadDoc = (n) => {
  run(`${manifest.docs}/${n}.js`);
  return Promise.resolve(window.SVARSARKIVET_DATA["d" + n]);
};
const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
Promise.all(queries.map((q) => window.SvarsarkivetSearch.search(manifest, loadShard, loadDoc, q)))
  .then((found) => console.log(JSON.stringify(found.map((f) => f.hits))));
