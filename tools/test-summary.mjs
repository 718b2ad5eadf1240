#!/usr/bin/env node
/**
 * Sum vitest JSON reports (one per package and target) and the step log written by
 * tools/run-tests.sh into one closing line: "N passed, N failed[, N skipped]".
 * A failed step that produced no report (lint, typecheck, a crash) counts as one failure.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'tmp/test-reports';
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    for (const t of suite.assertionResults ?? []) if (t.status === 'failed') failures.push(`${file}: ${t.fullName}`);
    if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((t) => t.status === 'failed')) {
      failed += 1;
      failures.push(`${file}: ${suite.name} failed to run: ${(suite.message ?? '').split('\n')[0]}`);
    }
  }
}
const steps = existsSync(join(dir, 'steps.txt')) ? readFileSync(join(dir, 'steps.txt'), 'utf8').trim().split('\n') : [];
const testsFailedInReports = failed > 0;
for (const line of steps.filter(Boolean)) {
  const [name, result] = line.split(' ');
  const reportless = name === 'lint' || name === 'typecheck';
  if (result === 'ok' && reportless) passed += 1;
  if (result === 'failed' && (reportless || !testsFailedInReports)) {
    failed += 1;
    failures.push(`step ${name} failed${reportless ? '' : ' (see its log above)'}`);
  }
}
if (failures.length) {
  console.log('\nFailures:');
  for (const f of failures.slice(0, 50)) console.log(`  ${f}`);
}
console.log('');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
