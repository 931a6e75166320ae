/**
 * What the Explain worker does, free of `vscode` and of threads so tests call it directly:
 * recognise a selection, explain a finding with an inspector ready to open, and measure a selected
 * hash function with the hash table and ring ready to use it. Inspector settings are completed
 * here (the defaults of the inspector's own factory, overridden by the request, checked by its
 * schema), because the factories live in the engines, which this worker bundles and the extension
 * host's bundle does not.
 */
import type { ModelFactory } from '../../engines/core/model';
import { UserError } from '../../engines/core/model';
import { hashTableFactory } from '../../engines/hashtable';
import { idempotencyFactory } from '../../engines/idempotency';
import { keepAliveFactory } from '../../engines/keepalive';
import { poolModelFactory } from '../../engines/pool';
import { ringFactory } from '../../engines/ring';
import { txnFactory } from '../../engines/txn';
import type { SelectedHashSource } from '../../engines/hashing/selectedHashSource';
import { explain, type Explanation, type Finding, languageFromId, measureSelectedHash, type OpenRequest, type Position, prepareUserFunction, recognise, type UserHashReport } from '../../explain';
import type { InspectorKind } from '../../protocol';
import { MAX_FINDINGS } from '../../protocol/explain';

/** An inspector ready to open: complete settings for a new session, then intents to dispatch. */
export interface OpenPlan {
  kind: InspectorKind;
  title: string;
  config: unknown;
  intents: { type: string }[];
}

export interface Recognised {
  /** The language the selection was read as, e.g. "typescript". */
  language: string;
  findings: Finding[];
}

export type ExplanationWithPlan = Omit<Explanation, 'open'> & { open: OpenPlan | null };

export interface HashMeasurement {
  report: UserHashReport;
  source: SelectedHashSource;
  targets: { hashtable: OpenPlan; ring: OpenPlan };
}

const FACTORIES: Record<InspectorKind, ModelFactory<unknown, unknown, unknown>> = {
  hashtable: hashTableFactory as ModelFactory<unknown, unknown, unknown>,
  ring: ringFactory as ModelFactory<unknown, unknown, unknown>,
  keepalive: keepAliveFactory as ModelFactory<unknown, unknown, unknown>,
  pool: poolModelFactory as ModelFactory<unknown, unknown, unknown>,
  idempotency: idempotencyFactory as ModelFactory<unknown, unknown, unknown>,
  txn: txnFactory as ModelFactory<unknown, unknown, unknown>,
};

/** Keys a table or ring made from a selected hash starts with, so its spread shows at once. */
const HASH_TABLE_KEYS = 2000;
const HASH_RING_KEYS = 20_000;

export function recogniseSelection(text: string, languageId: string, origin: Position): Recognised {
  const language = languageFromId(languageId);
  return { language, findings: recognise(text, language, { origin }).slice(0, MAX_FINDINGS) };
}

export async function explainFinding(finding: Finding, realTime: boolean): Promise<ExplanationWithPlan> {
  const e = await explain(finding, { realTime });
  return { ...e, open: e.open && plan(e.open) };
}

export async function measureHash(text: string, languageId: string): Promise<HashMeasurement> {
  const language = languageFromId(languageId);
  if (language !== 'typescript' && language !== 'javascript')
    throw new UserError(`"Use Selection as Hash Function" runs JavaScript and TypeScript only; this selection is ${language}. Select a JS or TS function that takes a key and returns a number.`);
  const fn = prepareUserFunction(text, language);
  const report = await measureSelectedHash(text, language);
  const source: SelectedHashSource = { name: fn.name, script: fn.script, entry: fn.entry };
  return {
    report,
    source,
    targets: {
      hashtable: plan({
        kind: 'hashtable',
        title: `Open a Hash Table hashing with ${fn.name}`,
        config: { hash: 'custom', customHash: source, strategy: 'chaining' },
        intents: [{ type: 'bulkInsert', generator: 'sequential', count: HASH_TABLE_KEYS }],
      }),
      ring: plan({
        kind: 'ring',
        title: `Open a Hash Ring hashing with ${fn.name}`,
        config: { hash: 'custom', customHash: source },
        intents: [{ type: 'insertKeys', count: HASH_RING_KEYS }, { type: 'addServer', name: 's6' }],
      }),
    },
  };
}

/** Completes a request's settings with the inspector's defaults and checks them and its intents by the inspector's schemas. */
export function plan(req: OpenRequest): OpenPlan {
  const factory = FACTORIES[req.kind];
  const config = factory.configSchema.parse({ ...(factory.defaults() as object), ...req.config }, 'config');
  if (!config.ok) throw new Error(`the ${factory.title} settings made for this code do not fit the inspector: ${config.error}`);
  for (const intent of req.intents) {
    const ok = factory.intentSchema.parse(intent, 'intent');
    if (!ok.ok) throw new Error(`an operation made for this code does not fit the ${factory.title}: ${ok.error}`);
  }
  return { kind: req.kind, title: req.title, config: config.value, intents: req.intents };
}
