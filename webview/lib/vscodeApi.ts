/** The webview's handle on VS Code: post messages to the host and persist state across reloads. */
import type { PersistedWebviewState, WebviewMessage } from '../../extension/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called only once per page.
const api: VsCodeApi = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function persist(state: PersistedWebviewState): void {
  api.setState(state);
}
