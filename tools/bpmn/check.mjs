// Reads each BPMN file given on the command line with bpmn-moddle and lints it with
// bpmnlint's recommended rules (minus the ones .bpmnlintrc turns off, each with its reason).
// Prints one JSON object per file: {file, warnings: [...], lint: [{rule, id, message}]}.
// Used by the Python tests (tests/core/test_bpmn.py); exit code 0 unless a file is unreadable.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');
const config = JSON.parse(readFileSync(new URL('./.bpmnlintrc', import.meta.url), 'utf8'));

const moddle = new BpmnModdle();
const results = [];
for (const file of process.argv.slice(2)) {
  const xml = readFileSync(file, 'utf8');
  const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
  // A fresh linter per file: some rules remember what they saw across runs.
  const linter = new Linter({ config, resolver: new NodeResolver({ require }) });
  const reports = await linter.lint(rootElement);
  const lint = [];
  for (const [rule, items] of Object.entries(reports)) {
    for (const item of items) {
      lint.push({ rule, id: item.id, message: item.message, category: item.category });
    }
  }
  results.push({ file, warnings: warnings.map((w) => w.message), lint });
}
console.log(JSON.stringify(results));
