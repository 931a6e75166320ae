/** How the hash table views colour slots and probe outcomes: VS Code chart colours, so every theme works. */
import type { ProbeOutcome } from '../../extension/protocol/hashtable';

/** Fill for a key by how many probes finding it takes (its displacement from home). */
export function probeFill(probes: number): string {
  if (probes <= 1) return 'var(--vscode-charts-blue, #3794ff)';
  if (probes <= 3) return 'var(--vscode-charts-purple, #b180d7)';
  if (probes <= 7) return 'var(--vscode-charts-orange, #d18616)';
  return 'var(--vscode-charts-red, #f14c4c)';
}

export const PROBE_LEGEND: [string, string][] = [
  ['at home', probeFill(1)],
  ['2–3 probes', probeFill(2)],
  ['4–7 probes', probeFill(4)],
  ['8+ probes', probeFill(8)],
];

export const OUTCOME_COLOR: Record<ProbeOutcome, string> = {
  occupied: 'var(--vscode-charts-yellow, #cca700)',
  tombstone: 'var(--vscode-charts-yellow, #cca700)',
  empty: 'var(--vscode-charts-red, #f14c4c)',
  match: 'var(--vscode-charts-green, #89d185)',
  placed: 'var(--vscode-charts-green, #89d185)',
  swapped: 'var(--vscode-charts-purple, #b180d7)',
  shifted: 'var(--vscode-charts-blue, #3794ff)',
  removed: 'var(--vscode-charts-red, #f14c4c)',
};

export const OUTCOME_TEXT: Record<ProbeOutcome, string> = {
  occupied: 'occupied by another key',
  tombstone: 'tombstone, keep probing',
  empty: 'empty: the key is not here',
  match: 'found',
  placed: 'placed here',
  swapped: 'Robin Hood swap: took this slot, carries on with the displaced key',
  shifted: 'shifted back one slot',
  removed: 'removed',
};

/** Resolves a CSS colour expression (with var() fallbacks) for canvas drawing. */
export function resolveColor(expr: string, probe: HTMLElement): string {
  probe.style.color = expr;
  return getComputedStyle(probe).color;
}
