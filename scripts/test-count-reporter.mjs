// A node:test reporter that counts passed and failed tests (not suites) and writes
// {"passed":N,"failed":N,"skipped":N,"failures":[...]} as its output, for test-all.mjs to sum.
export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    if (d.details?.type === 'suite') continue;
    if (d.skip || d.todo) skipped++;
    else if (event.type === 'test:pass') passed++;
    else {
      failed++;
      failures.push(`${d.file ?? ''} › ${d.name}`);
    }
  }
  yield JSON.stringify({ passed, failed, skipped, failures });
}
