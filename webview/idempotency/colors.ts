/** How the Idempotency lab draws what happened to a message: VS Code chart colours, so every theme works. */
import type { DispatchMode, LaneItem, LaneItemKind } from '../../extension/protocol/idempotency';

const BLUE = 'var(--vscode-charts-blue, #3794ff)';
const GREEN = 'var(--vscode-charts-green, #89d185)';
const YELLOW = 'var(--vscode-charts-yellow, #cca700)';
const ORANGE = 'var(--vscode-charts-orange, #d18616)';
const RED = 'var(--vscode-charts-red, #f14c4c)';
const PURPLE = 'var(--vscode-charts-purple, #b180d7)';
const MUTED = 'var(--vscode-descriptionForeground, #9d9d9d)';

export const COLOR = { blue: BLUE, green: GREEN, yellow: YELLOW, orange: ORANGE, red: RED, purple: PURPLE, muted: MUTED };

/** What each kind of lane item means, for tooltips, the legend and screen readers. */
export const KIND_TEXT: Record<LaneItemKind, string> = {
  produced: 'sent by the producer',
  resent: 'sent again by the producer',
  duplicate: 'an extra copy from the broker',
  delayed: 'held back by the broker (reordering)',
  redelivery: 'redelivered after the ack timeout',
  deadLettered: 'dead-lettered after too many deliveries',
  executed: 'effect ran',
  dropped: 'dropped by the weak check (key already set)',
  replayed: 'stored result returned by the strong check',
  waiting: 'waiting: the record is in progress elsewhere',
  crashed: 'worker crashed before the effect committed',
  fenced: 'lease ran out: completion refused, effect not committed',
  rejected: 'rejected: same key, different payload',
  storeError: 'store failed: not executed, not acked',
};

export function itemColor(it: LaneItem): string {
  if (it.slipped) return RED;
  switch (it.kind) {
    case 'produced': return MUTED;
    case 'resent': return ORANGE;
    case 'duplicate': return PURPLE;
    case 'delayed': return YELLOW;
    case 'redelivery': return ORANGE;
    case 'deadLettered': return RED;
    case 'executed': return BLUE;
    case 'dropped': return GREEN;
    case 'replayed': return GREEN;
    case 'waiting': return MUTED;
    case 'crashed': return RED;
    case 'fenced': return ORANGE;
    case 'rejected': return PURPLE;
    case 'storeError': return RED;
  }
}

export const DISPATCH_COLOR: Record<DispatchMode, string> = { single: MUTED, roundrobin: ORANGE, keyhash: BLUE };

/** The legend under the lanes: the few marks worth learning. */
export const LEGEND: { label: string; color: string; mark: 'bar' | 'copy' | 'slip' | 'violation' | 'dot' }[] = [
  { label: 'effect ran', color: BLUE, mark: 'bar' },
  { label: 'copy stopped by the check', color: GREEN, mark: 'bar' },
  { label: 'copy (duplicate, resend, redelivery)', color: BLUE, mark: 'copy' },
  { label: 'duplicate slipped through', color: RED, mark: 'slip' },
  { label: 'per-key order violated', color: YELLOW, mark: 'violation' },
  { label: 'broker: duplicate · delay · redelivery', color: PURPLE, mark: 'dot' },
  { label: 'crash · store error', color: RED, mark: 'dot' },
];
