/**
 * The Explain Selection view's half of the protocol: what the host shows (the whole state, posted
 * again whenever it changes: it is small) and what the view may ask for. The view never sends
 * code, settings or intents: it names a finding by its index, and the host looks up the request
 * it built itself.
 */
import type { Concept, Range, Risk } from '../explain/finding';
import type { Measurement } from '../explain/measure/measurement';
import type { DistributionReport } from '../explain/distribution/report';
import type { InspectorKind } from '../protocol';
import { Infer, int, lit, obj, tagged } from '../engines/core/schema';

/** At most this many findings are shown for one selection. */
export const MAX_FINDINGS = 50;

/** Each concept in words, with what Explain Selection looks for, for the view and for "nothing found". */
export const CONCEPT_INFO: Record<Concept, { label: string; looksFor: string }> = {
  'modulo-sharding': { label: 'Modulo sharding', looksFor: 'hash(key) % n, % servers.length, Math.abs(x.hashCode()) % n' },
  'hash-function': { label: 'Hash function', looksFor: 'string hash loops, FNV or Murmur constants, hashCode() and __hash__ overrides' },
  'hash-table': { label: 'Hash table', looksFor: 'new HashMap<>(capacity, loadFactor), make(map[K]V, n), load factor settings' },
  'hash-ring': { label: 'Consistent hash ring', looksFor: 'hashring, ketama, virtual-node loops' },
  'http-keepalive': { label: 'HTTP keep-alive', looksFor: 'http.Agent({ keepAlive }), undici options, keepAliveTimeout, Go http.Transport, requests.Session' },
  'connection-pool': { label: 'Connection pool', looksFor: 'mysql2.createPool, HikariCP, db.SetMaxOpenConns, create_engine(pool_size=…)' },
  idempotency: { label: 'Idempotency key', looksFor: 'SET key value NX EX ttl, SETNX then EXPIRE, unique inserts' },
  'ordered-consumption': { label: 'Ordered consumption', looksFor: 'worker pools and per-key routing: hash(key) % workers, partitions' },
  'distributed-transaction': { label: 'Distributed transaction', looksFor: 'BEGIN…COMMIT, XA START/PREPARE/COMMIT, saga steps with compensations, outbox tables' },
};

/** What the view needs of an inspector to open: never its settings. */
export interface OpenOffer {
  kind: InspectorKind;
  /** The button's words, e.g. "Open the Hash Ring with hash % 4 and add a server". */
  title: string;
  /** "Hash Ring": for "Open in Hash Ring". */
  inspector: string;
  /** False when this build has no such inspector yet; the view says so instead of offering it. */
  available: boolean;
}

export interface ExplanationView {
  title: string;
  summary: string;
  measurements: Measurement[];
  missing: string[];
  open: OpenOffer | null;
}

/** The explanation as a language model phrased it, from the finding and the measured numbers only. */
export interface Phrasing {
  /** The model's name, e.g. "GPT-4o": the view labels the text with it. */
  model: string;
  text: string;
}

export interface FindingView {
  concept: Concept;
  label: string;
  /** 0…1. */
  confidence: number;
  range: Range;
  /** "line 18" or "lines 4–11" (1-based, as the editor shows them). */
  where: string;
  evidence: string;
  /** Sorted by severity, errors first. */
  risks: Risk[];
  /** null until the engines have measured it. */
  explanation: ExplanationView | null;
  /** Measurements on real sockets, which take seconds: 'running' while under way. */
  realTime: 'none' | 'running' | 'done' | 'failed';
  phrasing: Phrasing | null;
  /** Why the engines could not measure it, when they could not. */
  failure: string | null;
}

export interface HashReportView {
  name: string;
  selected: DistributionReport;
  /** FNV-1a and Murmur3 on the same keys. */
  references: DistributionReport[];
  verdict: string;
  /** Where the selected function can be used, each an offer like a finding's. */
  targets: OpenOffer[];
}

export interface ExplainState {
  /** What was selected: file name, language and lines, e.g. "shardRouter.ts · TypeScript · lines 14–18". */
  source: string;
  /** 'hash': "Use Selection as Hash Function"; 'explain': "Explain Selection". */
  mode: 'explain' | 'hash';
  status: 'working' | 'done' | 'failed';
  /** What is under way while `status` is 'working'. */
  progress: string | null;
  findings: FindingView[];
  /** Set when recognition found nothing: the concepts it looked for. */
  nothingFound: boolean;
  hash: HashReportView | null;
  /** The last failure, in words for the user. */
  error: string | null;
}

export type ExplainHostMessage = { type: 'state'; state: ExplainState };

const findingIndex = int({ min: 0, max: MAX_FINDINGS - 1 });

/** Everything the explanation view may ask of the host. */
export const explainRequest = tagged('type', {
  /** The view has loaded and wants the state. */
  ready: obj({}),
  /** Show the finding's code in its editor. */
  reveal: obj({ finding: findingIndex }),
  /** Open the inspector the host prepared for this finding. */
  open: obj({ finding: findingIndex }),
  /** Open a hash table or a ring that hashes with the measured selection. */
  useHash: obj({ target: lit('hashtable', 'ring') }),
});
export type ExplainRequest = Infer<typeof explainRequest>;
