/**
 * The explanation view's state, built from what the Explain worker returns. Free of `vscode`, so
 * the webview tests feed the view exactly what the host would.
 */
import { basename } from 'node:path';
import type { Finding, Range } from '../../explain/finding';
import { CONCEPT_INFO, type ExplainState, type ExplanationView, type FindingView, type OpenOffer } from '../../protocol/explain';
import type { InspectorKind } from '../../protocol';
import type { ExplanationWithPlan, OpenPlan } from './explainService';

const LANGUAGE_LABELS: Record<string, string> = { typescript: 'TypeScript', javascript: 'JavaScript', java: 'Java', go: 'Go', python: 'Python' };

/** Inspector names, including those an explanation may point at before this build registers them. */
export const INSPECTOR_TITLES: Record<InspectorKind, string> = {
  hashtable: 'Hash Table', ring: 'Hash Ring', keepalive: 'HTTP Keep-Alive', pool: 'Connection Pool', idempotency: 'Idempotency Lab', txn: 'Distributed Transactions',
};

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** "line 18" or "lines 4–11", 1-based as the editor shows them. */
export function linesLabel(range: Range): string {
  // A selection that ends at the start of a line does not take that line.
  const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return last === range.start.line ? `line ${range.start.line + 1}` : `lines ${range.start.line + 1}–${last + 1}`;
}

/** "shardRouter.ts · TypeScript · lines 14–18". */
export function sourceLabel(path: string, language: string, range: Range): string {
  return `${basename(path)} · ${LANGUAGE_LABELS[language] ?? language} · ${linesLabel(range)}`;
}

export const initialState = (mode: ExplainState['mode'], source: string, progress: string): ExplainState => ({
  source, mode, status: 'working', progress, findings: [], nothingFound: false, hash: null, error: null,
});

/** A finding as the view first shows it, before the engines have measured it. */
export function findingView(f: Finding): FindingView {
  return {
    concept: f.concept,
    label: CONCEPT_INFO[f.concept].label,
    confidence: f.confidence,
    range: f.range,
    where: linesLabel(f.range),
    evidence: f.evidence,
    risks: [...f.risks].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]),
    explanation: null,
    realTime: 'none',
    phrasing: null,
    failure: null,
  };
}

export function offerOf(plan: OpenPlan, available: ReadonlySet<InspectorKind>): OpenOffer {
  return { kind: plan.kind, title: plan.title, inspector: INSPECTOR_TITLES[plan.kind], available: available.has(plan.kind) };
}

export function explanationView(e: ExplanationWithPlan, available: ReadonlySet<InspectorKind>): ExplanationView {
  return { title: e.title, summary: e.summary, measurements: e.measurements, missing: e.missing, open: e.open && offerOf(e.open, available) };
}
