/**
 * The explanation view's link to the host: the state it last sent (the whole of it, each time) and
 * the requests the view may make. Not the inspectors' store: this view shows no session.
 */
import type { ExplainHostMessage, ExplainRequest, ExplainState } from '../../extension/protocol/explain';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const api = acquireVsCodeApi();

class ExplainView {
  state = $state<ExplainState | null>(null);

  start(): void {
    window.addEventListener('message', (e: MessageEvent) => {
      const m = e.data as ExplainHostMessage | undefined;
      if (m && typeof m === 'object' && m.type === 'state') this.state = m.state;
    });
    this.request({ type: 'ready' });
  }

  request(r: ExplainRequest): void {
    api.postMessage(r);
  }
}

export const explainView = new ExplainView();
