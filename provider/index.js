// The plugin's entry (plain JavaScript: the engine's Node runtime would otherwise register ts-node with the
// tsconfig.json of whatever folder it runs in). cmd/run-plugin requires this folder and, finding a function and no
// component class, calls it. The provider comes from the compiled package next to this folder (this repository after
// `npm run build`, or the installed npm package), else from this folder's own dependency after `npm install`.
"use strict";
const fs = require("fs");
const path = require("path");

function loadProvider() {
  const beside = path.join(__dirname, "..", "dist", "provider", "main.js");
  return require(fs.existsSync(beside) ? beside : "exchange-app-only/provider");
}

module.exports = function serve() {
  return loadProvider().serve(process.argv.slice(2), path.join(__dirname, "schema.json"));
};
