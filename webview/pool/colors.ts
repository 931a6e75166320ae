/** The pool views' colours: VS Code chart colours, so every theme works. */
import type { ConnectionState } from '../../extension/protocol/pool';

export const STATE_COLOR: Record<ConnectionState, string> = {
  connecting: 'var(--vscode-descriptionForeground)',
  idle: 'var(--vscode-charts-green, #89d185)',
  'in-use': 'var(--vscode-charts-blue, #3794ff)',
  validating: 'var(--vscode-charts-purple, #b180d7)',
  pinging: 'var(--vscode-charts-yellow, #cca700)',
  closing: 'var(--vscode-charts-orange, #d18616)',
};

export const COLOR = {
  /** Idle in the pool, but the server has closed it. */
  stale: 'var(--vscode-errorForeground, #f14c4c)',
  failed: 'var(--vscode-errorForeground, #f14c4c)',
  /** A borrower waiting for a connection. */
  wait: 'var(--vscode-charts-yellow, #cca700)',
  muted: 'var(--vscode-descriptionForeground)',
} as const;

/** What each state means, for the legend and tooltips. */
export const STATE_TEXT: Record<ConnectionState | 'stale', string> = {
  connecting: 'connecting: handshake and login',
  idle: 'idle in the pool',
  'in-use': 'borrowed',
  validating: 'validating: a ping before it is handed out',
  pinging: 'keep-alive ping',
  closing: 'closing',
  stale: 'idle, but the server already closed it',
};
