/** The keep-alive views' colours: VS Code chart colours, so every theme works. */
import type { CloseSide } from '../../extension/protocol/keepalive';

export const COLOR = {
  /** A request that opened its socket (it paid the connect). */
  fresh: 'var(--vscode-charts-purple, #b180d7)',
  /** A request on a socket that had carried one before. */
  reused: 'var(--vscode-charts-green, #89d185)',
  failed: 'var(--vscode-errorForeground, #f14c4c)',
  /** Waiting for a socket (maxSockets queue, connect). */
  wait: 'var(--vscode-charts-yellow, #cca700)',
  server: 'var(--vscode-charts-orange, #d18616)',
  client: 'var(--vscode-charts-blue, #3794ff)',
  muted: 'var(--vscode-descriptionForeground)',
} as const;

export function sideColor(side: CloseSide | undefined, error: boolean): string {
  if (error) return COLOR.failed;
  return side === 'server' ? COLOR.server : side === 'client' ? COLOR.client : COLOR.muted;
}
