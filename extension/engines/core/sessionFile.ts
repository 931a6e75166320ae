/**
 * Sessions exported as versioned JSON: enough to rebuild a run exactly (configuration, seed and the
 * recorded steps) plus where the user was. Import never trusts the file: a broken, foreign or
 * future file yields a message that says which and what to do.
 */
import { Infer, Schema, arr, int, json, obj, str } from './schema';

export const SESSION_FORMAT = 'ds-inspector.session';
export const SESSION_VERSION = 1;

export interface SessionFile<Config = unknown, Step = unknown> {
  format: typeof SESSION_FORMAT;
  version: number;
  /** Which inspector wrote it, e.g. "hashtable". */
  kind: string;
  createdAt: string;
  config: Config;
  steps: Step[];
  labels: string[];
  cursor: number;
}

const envelope = obj({
  format: str(),
  version: int({ min: 1 }),
  kind: str({ max: 64 }),
  createdAt: str({ max: 64 }),
  config: json(),
  steps: arr(json(), { max: 5_000_000 }),
  labels: arr(str({ max: 2_000 }), { max: 5_000_000 }),
  cursor: int({ min: 0 }),
});
type Envelope = Infer<typeof envelope>;

export class SessionFileError extends Error {
  override readonly name = 'SessionFileError';
}

export function makeSessionFile<C, S>(kind: string, config: C, steps: S[], labels: string[], cursor: number): SessionFile<C, S> {
  return { format: SESSION_FORMAT, version: SESSION_VERSION, kind, createdAt: new Date().toISOString(), config, steps, labels, cursor };
}

/**
 * Parses a session file's text. `configSchema` and `stepSchema` are the inspector's own; `kind`
 * is what the caller expects (omit to accept any known kind and read it from the file).
 */
export function parseSessionFile<C, S>(
  text: string,
  expect: { kind?: string; config: Schema<C>; step: Schema<S> } | ((kind: string) => { config: Schema<C>; step: Schema<S> } | undefined),
): SessionFile<C, S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SessionFileError(`This file is not valid JSON (${(e as Error).message}). Pick a file written by "DS Inspector: Export Session…".`);
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== SESSION_FORMAT)
    throw new SessionFileError('This JSON file is not a DS Inspector session (its "format" field is missing or different). Pick a file written by "DS Inspector: Export Session…".');
  const version = (raw as { version?: unknown }).version;
  if (typeof version === 'number' && version > SESSION_VERSION)
    throw new SessionFileError(`This session was written by a newer DS Inspector (format version ${version}; this one reads up to ${SESSION_VERSION}). Update the extension to open it.`);
  const env = envelope.parse(raw);
  if (!env.ok) throw new SessionFileError(`This session file is damaged: ${env.error}.`);
  const file: Envelope = env.value;
  const schemas = typeof expect === 'function' ? expect(file.kind) : expect.kind === undefined || expect.kind === file.kind ? expect : undefined;
  if (!schemas) {
    const wanted = typeof expect === 'function' ? 'a known inspector' : `a "${expect.kind}" session`;
    throw new SessionFileError(`This is a "${file.kind}" session, not ${wanted}.`);
  }
  const config = schemas.config.parse(file.config, 'config');
  if (!config.ok) throw new SessionFileError(`This session file is damaged: ${config.error}.`);
  const steps: S[] = [];
  for (let i = 0; i < file.steps.length; i++) {
    const r = schemas.step.parse(file.steps[i], `steps[${i}]`);
    if (!r.ok) throw new SessionFileError(`This session file is damaged: ${r.error}.`);
    steps.push(r.value);
  }
  if (file.labels.length !== steps.length) throw new SessionFileError(`This session file is damaged: ${steps.length} steps but ${file.labels.length} labels.`);
  if (file.cursor > steps.length) throw new SessionFileError(`This session file is damaged: cursor ${file.cursor} is past its ${steps.length} steps.`);
  return { format: SESSION_FORMAT, version: file.version, kind: file.kind, createdAt: file.createdAt, config: config.value, steps, labels: file.labels, cursor: file.cursor };
}
