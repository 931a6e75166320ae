/**
 * The gate every webview message passes: parse the envelope, then (for intents) the inspector's own
 * schema, and only then call exactly one handler. Anything that does not fit calls nothing and
 * comes back as a reason for the log. Free of `vscode` so it can be tested with arbitrary input.
 */
import type { Schema } from '../engines/core/schema';
import { webviewMessage, type WebviewCommand } from '../protocol';

export interface MessageTarget {
  ready(): void;
  resync(seen: number): void;
  /** Called only with an intent that passed `intentSchema`. */
  intent(intent: unknown, label: string): void;
  seek(step: number): void;
  cancel(): void;
  command(command: WebviewCommand): void;
}

/** Returns why the message was rejected, or undefined when it was handled. */
export function routeWebviewMessage(raw: unknown, intentSchema: Schema<unknown> | undefined, target: MessageTarget): string | undefined {
  let parsed;
  try {
    parsed = webviewMessage.parse(raw, 'message');
  } catch (e) {
    // Getters or proxies in a hostile object can throw while being read.
    return `message could not be read (${(e as Error).message})`;
  }
  if (!parsed.ok) return parsed.error;
  const m = parsed.value;
  switch (m.type) {
    case 'ready':
      target.ready();
      return undefined;
    case 'resync':
      target.resync(m.seen);
      return undefined;
    case 'intent': {
      if (!intentSchema) return 'no inspector session is open to receive an operation';
      const intent = intentSchema.parse(m.intent, 'message.intent');
      if (!intent.ok) return intent.error;
      target.intent(intent.value, m.label ?? 'operation');
      return undefined;
    }
    case 'seek':
      target.seek(m.step);
      return undefined;
    case 'cancel':
      target.cancel();
      return undefined;
    case 'command':
      target.command(m.command);
      return undefined;
  }
}
