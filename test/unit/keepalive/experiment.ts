/** Test helpers: run an experiment through the model, and check that it left nothing open. */
import assert from 'node:assert/strict';
import { KeepAliveModel, presetSettings, runExperiment } from '../../../extension/engines/keepalive';
import type { RunEvent } from '../../../extension/engines/keepalive';
import type { KeepAliveSettings, KeepAliveView, PresetId } from '../../../extension/protocol/keepalive';
import { noRunContext } from '../../../extension/engines/core/model';

/** Sockets, servers and timers alive in this thread right now. */
export function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) if (/TCP|Timeout|Immediate/.test(r)) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/**
 * Waits a moment for close callbacks, then asserts the thread holds no more sockets, servers or
 * timers of any kind than before (an earlier test's handles may still be finishing their close).
 */
export async function assertNothingLeftOpen(before: Record<string, number>): Promise<void> {
  await new Promise((r) => setTimeout(r, 30));
  const after = liveHandles();
  const extra = Object.entries(after).filter(([kind, n]) => n > (before[kind] ?? 0));
  assert.deepEqual(extra, [], `handles left open: ${JSON.stringify(after)} (before: ${JSON.stringify(before)})`);
}

export function settingsOf(preset: PresetId, change: (s: KeepAliveSettings) => void = () => {}, client: 'node' | 'undici' = 'node'): KeepAliveSettings {
  const s = presetSettings(preset, client);
  change(s);
  return s;
}

/** Runs one experiment with exactly these settings and returns the final view. */
export async function runWith(settings: KeepAliveSettings): Promise<KeepAliveView> {
  const model = new KeepAliveModel(settings);
  await model.dispatch({ type: 'run' }, noRunContext);
  await model.dispose();
  return model.view();
}

/** Runs one experiment outside any model and returns the events it recorded. */
export async function eventsOf(settings: KeepAliveSettings): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await runExperiment(settings, { emit: (e) => events.push(e), cancelled: () => false, progress() {} });
  return events;
}
