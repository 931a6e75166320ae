/**
 * In smoke-test-driver mode the workbench relays every console line, its own chatter and the test
 * runner's alike; the runner marks its lines so the launcher can show them and file the rest away.
 */
import { format } from 'node:util';

const marker = '[dsi-tests] ';

export function markRunnerLine(...args: unknown[]): string {
  return marker + format(...args);
}

/** The runner's text when the relayed console line is the runner's, else undefined. */
export function runnerLine(args: unknown[]): string | undefined {
  const first = args[0];
  return typeof first === 'string' && first.startsWith(marker) ? format(...args).slice(marker.length) : undefined;
}
