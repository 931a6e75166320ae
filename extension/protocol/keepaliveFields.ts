/**
 * The keep-alive experiment's settings as form fields: how the webview's settings form and the
 * "Configure Keep-Alive…" command name, explain and edit each one. Bounds are not repeated here:
 * a candidate value is checked by putting it into the settings and parsing them with
 * `keepAliveSettingsSchema`, so the form and the command accept exactly what the engine accepts.
 */
import type { KeepAliveSettings } from './keepalive';
import { CLIENT_KINDS, WORKLOAD_PATTERNS, keepAliveSettingsSchema } from './keepalive';

export type SettingsSection = keyof KeepAliveSettings;

interface FieldBase<S extends SettingsSection> {
  section: S;
  key: keyof KeepAliveSettings[S] & string;
  label: string;
  help: string;
}

export type SettingField = {
  [S in SettingsSection]:
    | (FieldBase<S> & { type: 'int'; unit?: 'ms' })
    | (FieldBase<S> & { type: 'bool' })
    | (FieldBase<S> & { type: 'choice'; options: readonly string[] })
    | (FieldBase<S> & { type: 'ints'; unit?: 'ms' });
}[SettingsSection];

export const SECTION_TITLES: Record<SettingsSection, string> = { server: 'Server (node:http)', client: 'Client', workload: 'Workload' };

export const SETTING_FIELDS: readonly SettingField[] = [
  { section: 'server', key: 'keepAliveTimeoutMs', type: 'int', unit: 'ms', label: 'keepAliveTimeout', help: 'How long the server keeps an idle socket (0 = forever). Node adds about 1 s on top.' },
  { section: 'server', key: 'headersTimeoutMs', type: 'int', unit: 'ms', label: 'headersTimeout', help: 'How long a request\'s headers may take to arrive.' },
  { section: 'server', key: 'responseDelayMs', type: 'int', unit: 'ms', label: 'response delay', help: 'Server think time before each response.' },
  { section: 'server', key: 'advertiseKeepAlive', type: 'bool', label: 'send Keep-Alive: timeout= hint', help: 'Tell the client how long idle sockets are kept (Node\'s default). Off: like servers and proxies that keep it to themselves.' },
  { section: 'client', key: 'kind', type: 'choice', options: CLIENT_KINDS, label: 'client library', help: 'node:http Agent or undici Pool.' },
  { section: 'client', key: 'keepAlive', type: 'bool', label: 'keep-alive', help: 'Reuse sockets between requests. Off: every request says Connection: close.' },
  { section: 'client', key: 'maxSockets', type: 'int', label: 'maxSockets', help: 'Sockets per origin (undici: Pool connections); more requests wait in the client\'s queue.' },
  { section: 'client', key: 'maxFreeSockets', type: 'int', label: 'maxFreeSockets', help: 'Idle sockets the node Agent keeps; undici keeps every connection.' },
  { section: 'client', key: 'idleTimeoutMs', type: 'int', unit: 'ms', label: 'client idle timeout', help: 'The client drops a socket idle this long (0 = none). Below the server\'s, the race cannot happen.' },
  { section: 'client', key: 'hintMarginMs', type: 'int', unit: 'ms', label: 'hint margin', help: 'undici keepAliveTimeoutThreshold: subtracted from the server\'s Keep-Alive hint (Node\'s Agent always subtracts 1 s).' },
  { section: 'client', key: 'pipelining', type: 'int', label: 'pipelining', help: 'undici only: requests in flight per connection (1 = none).' },
  { section: 'client', key: 'retryIdempotent', type: 'bool', label: 'retry idempotent requests', help: 'Retry a GET once when a reused socket was reset under it.' },
  { section: 'workload', key: 'pattern', type: 'choice', options: WORKLOAD_PATTERNS, label: 'pattern', help: 'sequential, concurrent, bursts, or idle-edge (requests aimed at the server\'s idle close).' },
  { section: 'workload', key: 'requests', type: 'int', label: 'requests', help: 'Requests in the run.' },
  { section: 'workload', key: 'method', type: 'choice', options: ['GET', 'POST'], label: 'method', help: 'GET is idempotent and may be retried; POST never is.' },
  { section: 'workload', key: 'concurrency', type: 'int', label: 'concurrency', help: 'concurrent: requests in flight at once; idle-edge: independent clients.' },
  { section: 'workload', key: 'burstSize', type: 'int', label: 'burst size', help: 'bursts: requests issued together; idle-edge: requests before each idle gap.' },
  { section: 'workload', key: 'gapMs', type: 'int', unit: 'ms', label: 'gap', help: 'sequential: pause between requests; bursts: pause between bursts.' },
  { section: 'workload', key: 'edgeOffsetsMs', type: 'ints', unit: 'ms', label: 'edge offsets', help: 'idle-edge: when to send relative to the server\'s idle close, cycled (0 = the same instant).' },
];

export function fieldValue(settings: KeepAliveSettings, f: SettingField): unknown {
  return (settings[f.section] as unknown as Record<string, unknown>)[f.key];
}

/** The value as the form shows it: "2000 ms", "on", "0, -1, 1". */
export function formatField(f: SettingField, value: unknown): string {
  if (f.type === 'bool') return value ? 'on' : 'off';
  if (f.type === 'ints') return (value as number[]).join(', ');
  return f.type === 'int' && f.unit ? `${String(value)} ${f.unit}` : String(value);
}

/** Reads what a user typed for a number or list field; undefined when it is not numbers at all. */
export function parseFieldText(f: SettingField, text: string): number | number[] | undefined {
  const num = (s: string): number | undefined => (/^-?\d+$/.test(s) ? Number(s) : undefined);
  if (f.type === 'int') return num(text.trim().replace(/[_,\s]/g, ''));
  if (f.type === 'ints') {
    const parts = text.split(/[\s,;]+/).filter(Boolean).map(num);
    return parts.length > 0 && parts.every((n) => n !== undefined) ? (parts as number[]) : undefined;
  }
  return undefined;
}

/** Settings with one field replaced (the input is not changed). */
export function withField(settings: KeepAliveSettings, f: SettingField, value: unknown): KeepAliveSettings {
  return { ...settings, [f.section]: { ...settings[f.section], [f.key]: value } };
}

/**
 * Checks one field's new value against the engine's schema. Returns the updated settings, or the
 * reason in the form's words ("keepAliveTimeout must be ≤ 600000").
 */
export function tryField(settings: KeepAliveSettings, f: SettingField, value: unknown): { ok: true; settings: KeepAliveSettings } | { ok: false; error: string } {
  if (value === undefined) return { ok: false, error: f.type === 'ints' ? `${f.label}: enter whole numbers separated by commas` : `${f.label}: enter a whole number` };
  const next = withField(settings, f, value);
  const parsed = keepAliveSettingsSchema.parse(next, 'settings');
  if (parsed.ok) return { ok: true, settings: parsed.value };
  return { ok: false, error: describeSettingsError(parsed.error) };
}

/** Rewrites a schema error's path ("settings.server.keepAliveTimeoutMs: must be ≤ 600000") with the field's label. */
export function describeSettingsError(error: string): string {
  const m = /^settings\.(\w+)\.(\w+)(\[\d+\])?: (.*)$/.exec(error);
  const f = m && SETTING_FIELDS.find((x) => x.section === m[1] && x.key === m[2]);
  return f ? `${f.label}${m![3] ? ` (item ${Number(m![3].slice(1, -1)) + 1})` : ''} ${m![4]}` : error;
}
