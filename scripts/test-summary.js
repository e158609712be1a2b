#!/usr/bin/env node
// Prints one closing line for all suites, "tests: N passed, N failed, N skipped",
// from Jest's --json result files (a missing file counts as a failed suite).
const { existsSync, readFileSync } = require('node:fs');

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`no results in ${file}: that suite did not run`);
    failed += 1;
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests + (result.numRuntimeErrorTestSuites || 0);
  skipped += result.numPendingTests + (result.numTodoTests || 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
