/** What the integration suites read from package.json: the extension's id and its contributions. */
import packageJson from '../../../package.json';

export interface Contributes {
  commands?: { command: string; title: string; category?: string }[];
  configuration?: { properties?: Record<string, { default?: unknown }> } | { properties?: Record<string, { default?: unknown }> }[];
  viewsContainers?: Record<string, { id: string; title: string }[]>;
  views?: Record<string, { id: string; name: string; type?: string }[]>;
}

export const manifest = packageJson as { publisher: string; name: string; version: string; contributes: Contributes };

export const extensionId = `${manifest.publisher}.${manifest.name}`;

export const contributedCommands = manifest.contributes.commands ?? [];

/** Every `dsInspector.*` setting with its declared default. */
export function contributedSettings(): [key: string, def: unknown][] {
  const c = manifest.contributes.configuration;
  const sections = c === undefined ? [] : Array.isArray(c) ? c : [c];
  return sections.flatMap((s) => Object.entries(s.properties ?? {}).map(([k, v]) => [k, v.default] as [string, unknown]));
}
