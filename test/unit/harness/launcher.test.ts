import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLaunchArgs, testRunUrl } from '../../integration/launcher';
import { markRunnerLine, runnerLine } from '../../integration/runnerOutput';

// What @vscode/test-electron's runTests() passes to the executable, in its order.
const runTestsArgv = [
  '/repo/sample-workspace',
  '--user-data-dir=/tmp/ud',
  '--extensions-dir=/tmp/ext',
  '--no-sandbox', '--disable-gpu-sandbox', '--disable-updates', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust',
  '--extensionTestsPath=/repo/out/integration/index.js',
  '--extensionDevelopmentPath=/repo',
];

describe('integration launcher', () => {
  it('understands the flags runTests() passes', () => {
    assert.deepEqual(parseLaunchArgs(runTestsArgv), {
      developmentPaths: ['/repo'],
      testsPath: '/repo/out/integration/index.js',
      folder: '/repo/sample-workspace',
      userDataDir: '/tmp/ud',
      extensionsDir: '/tmp/ext',
      ignored: [],
    });
  });

  it('accepts space-separated values and several development paths, and reports flags it ignores', () => {
    const req = parseLaunchArgs(['--extensionDevelopmentPath', '/a', '--extensionDevelopmentPath=/b', '--extensionTestsPath', '/t.js', '--verbose']);
    assert.deepEqual(req.developmentPaths, ['/a', '/b']);
    assert.equal(req.testsPath, '/t.js');
    assert.deepEqual(req.ignored, ['--verbose']);
  });

  it('refuses what it cannot run, saying what is missing', () => {
    assert.throws(() => parseLaunchArgs(['--extensionDevelopmentPath=/repo']), /--extensionTestsPath is required/);
    assert.throws(() => parseLaunchArgs(['--extensionTestsPath=/t.js']), /--extensionDevelopmentPath is required/);
    assert.throws(() => parseLaunchArgs(['--extensionTestsPath']), /needs a value/);
    assert.throws(() => parseLaunchArgs(['/a', '/b', '--extensionTestsPath=/t', '--extensionDevelopmentPath=/r']), /Only one folder/);
  });

  it('builds the workbench URL with the folder and a vscode-remote payload', () => {
    const url = new URL(testRunUrl({ url: 'http://127.0.0.1:4000', port: 4000 }, parseLaunchArgs(runTestsArgv)));
    assert.equal(url.searchParams.get('folder'), '/repo/sample-workspace');
    assert.deepEqual(JSON.parse(url.searchParams.get('payload')!), [
      ['extensionDevelopmentPath', 'vscode-remote://127.0.0.1:4000/repo'],
      ['extensionTestsPath', 'vscode-remote://127.0.0.1:4000/repo/out/integration/index.js'],
    ]);
  });

  it("tells the test runner's relayed lines from the workbench's own", () => {
    assert.equal(runnerLine([markRunnerLine('  %d passing (%s)', 6, '1s')]), '  6 passing (1s)');
    assert.equal(runnerLine(['Creating a socket (renderer-Management)...']), undefined);
    assert.equal(runnerLine([42]), undefined);
  });
});
