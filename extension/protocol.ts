/**
 * The messages between the extension host and its webviews, shared by both sides.
 *
 * Host → webview: a full `snapshot` when a webview (re)connects, then `patch`es carrying only the
 * view parts that changed, numbered so a webview that missed one asks for a new snapshot. Parts
 * are whatever the inspector's model renders (see `extension/protocol/<kind>.ts` for each kind's
 * parts and intents).
 *
 * Webview → host: untrusted. Every message is parsed with `webviewMessage` below, and an intent
 * additionally with its inspector's own schema; what does not fit is rejected with a logged reason
 * and has no effect.
 */
import { Infer, int, json, lit, obj, optional, str, tagged } from './engines/core/schema';
import type { ModelView, Summary, TimelineView } from './engines/core/model';

export type { Metric, ModelView, Summary, TimelineView } from './engines/core/model';

/** Every inspector kind; each has a model (`extension/engines/<engine>/model.ts`) and a webview. */
export const INSPECTOR_KINDS = ['hashtable', 'ring', 'keepalive', 'pool', 'idempotency', 'txn'] as const;
export type InspectorKind = (typeof INSPECTOR_KINDS)[number];

/** Which session a webview shows. */
export interface SessionInfo {
  id: string;
  kind: InspectorKind;
  /** e.g. "Hash Table 2". */
  title: string;
}

/** A long step in progress; the webview shows a bar and a Cancel button. */
export interface BusyState {
  label: string;
  /** 0…1 once the engine reports progress. */
  fraction?: number;
  message?: string;
}

export type HostMessage =
  | { type: 'snapshot'; seq: number; session: SessionInfo | null; parts: Record<string, unknown>; busy: BusyState | null }
  | { type: 'patch'; seq: number; parts: Record<string, unknown> }
  | { type: 'busy'; busy: BusyState | null }
  /** A failure the user should see in the view itself (it is also logged and notified). */
  | { type: 'error'; message: string }
  /** The engine behind the session stopped; the view shows why and offers a restart. */
  | { type: 'ended'; reason: string };

/** The parts every session has: enough for the side bar's compact view. */
export interface CommonParts {
  summary: Summary;
  timeline: TimelineView;
}

/** Host commands a webview may ask for by name (nothing else is reachable from a webview). */
export const WEBVIEW_COMMANDS = ['exportSession', 'importSession', 'openPanel', 'restart', 'useRedis', 'useMysql'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

export const webviewMessage = tagged('type', {
  /** The webview has loaded (or reloaded) and wants a snapshot. */
  ready: obj({}),
  /** The webview saw a gap in patch numbers and wants a fresh snapshot. */
  resync: obj({ seen: int({ min: 0 }) }),
  /** An operation on the inspector; its body is checked against the kind's intent schema. */
  intent: obj({ intent: json({ maxDepth: 8, maxNodes: 200_000 }), label: optional(str({ max: 200 })) }),
  seek: obj({ step: int({ min: 0 }) }),
  cancel: obj({}),
  command: obj({ command: lit(...WEBVIEW_COMMANDS) }),
});
export type WebviewMessage = Infer<typeof webviewMessage>;

/** State a webview persists across reloads (VS Code's webview state), read by the panel serializer. */
export interface PersistedWebviewState {
  sessionId: string;
  kind: InspectorKind;
}

export function isInspectorKind(s: unknown): s is InspectorKind {
  return typeof s === 'string' && (INSPECTOR_KINDS as readonly string[]).includes(s);
}

export type ViewOf<P> = ModelView & P;
