/**
 * The foreground half of `npm start`: installs the packaged extension into a throwaway VS Code
 * profile, serves code-server on 127.0.0.1:$DSI_PORT (default 8080) with sample-workspace open, and
 * stops code-server with its whole process group on Ctrl-C. scripts/start.sh builds the .vsix first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProfile, installVsix, startCodeServer, tail } from '../test/harness/codeServer';
import { repoRoot, sampleWorkspace } from '../test/harness/paths';

function portFromEnv(): number {
  const raw = process.env.DSI_PORT ?? '8080';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error(`DSI_PORT="${raw}" is not a TCP port: use a whole number from 1 to 65535, e.g. DSI_PORT=8081 npm start.`);
  }
  return port;
}

async function main(): Promise<number> {
  const port = portFromEnv();
  const vsix = process.env.DSI_VSIX ?? join(repoRoot, 'dist', 'ds-inspector.vsix');
  const dir = mkdtempSync(join(tmpdir(), 'ds-inspector-run-'));
  const profile = createProfile(dir);
  installVsix(profile, vsix);
  const logFile = join(dir, 'code-server.log');
  const server = await startCodeServer({ profile, folder: sampleWorkspace, port, logFile });

  let stopping: Promise<void> | undefined;
  const stop = (why: string): Promise<void> =>
    (stopping ??= (async () => {
      console.log(`\n${why}: stopping code-server…`);
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    })());
  // `on`, not `once`: Ctrl-C under npm delivers SIGINT twice (from the terminal and relayed by npm),
  // and a second signal must not kill this process before code-server's group is stopped.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop(sig).then(() => process.exit(0)));

  console.log(`
DS Inspector is running in VS Code (code-server) at

    ${server.url}/

with sample-workspace open: click the DS Inspector icon in the activity bar on the left, or run
"DS Inspector: …" commands from the palette (F1). Profile and logs: ${dir}
Press Ctrl-C to stop.`);

  const how = await server.exited;
  if (stopping) {
    await stopping;
    return 0;
  }
  console.error(`code-server ${how} on its own. Its last output:\n${tail(logFile)}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
