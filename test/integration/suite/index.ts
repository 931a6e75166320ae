/**
 * Entry point the extension host loads as `extensionTestsPath`: runs every bundled `*.test.js`
 * beside it with mocha and writes the counts to $DSI_MOCHA_RESULT for test/integration/run.mjs.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { markRunnerLine } from '../runnerOutput';

export async function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(markRunnerLine(...args));
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000 });
  for (const f of readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, f));
  let passed = 0;
  const failures: string[] = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => passed++);
    runner.on('fail', (test, err: Error) => failures.push(`${test.fullTitle()}: ${err.message}`));
  });
  const result = { passed, failed: failures.length, failures };
  if (process.env.DSI_MOCHA_RESULT) writeFileSync(process.env.DSI_MOCHA_RESULT, JSON.stringify(result));
  if (failures.length) throw new Error(`${failures.length} of ${passed + failures.length} integration tests failed`);
}
