/**
 * A finding explained: what the code does in this product's terms, the numbers the engines measure
 * for its parameters, the risks, what could not be measured, and the inspector to open. The text
 * is complete on its own; a language model may rephrase it from the same fields.
 */
import type { Finding, Risk } from './finding';
import type { Description } from './describe/description';
import { describeConnectionPool } from './describe/connectionPool';
import { describeDistributedTransaction } from './describe/distributedTransaction';
import { describeHashFunction } from './describe/hashFunction';
import { describeHashRing } from './describe/hashRing';
import { describeHashTable } from './describe/hashTable';
import { describeHttpKeepAlive } from './describe/httpKeepAlive';
import { describeIdempotency } from './describe/idempotency';
import { describeModuloSharding } from './describe/moduloSharding';
import { describeOrderedConsumption } from './describe/orderedConsumption';
import { measureConnectionPool } from './measure/connectionPool';
import { measureDistributedTransaction } from './measure/distributedTransaction';
import { measureHashFunction } from './measure/hashFunction';
import { measureHashRing } from './measure/hashRing';
import { measureHashTable } from './measure/hashTable';
import { measureHttpKeepAlive } from './measure/httpKeepAlive';
import { measureIdempotency } from './measure/idempotency';
import type { Measured, Measurement } from './measure/measurement';
import { measureModuloSharding } from './measure/moduloSharding';
import { measureOrderedConsumption } from './measure/orderedConsumption';
import { type OpenRequest, openRequestFor } from './openRequest';

export interface Explanation {
  concept: Finding['concept'];
  title: string;
  /** The explanation itself, with the measured numbers in it. */
  summary: string;
  measurements: Measurement[];
  risks: Risk[];
  /** What was not measured and why. */
  missing: string[];
  /** The inspector to open, preloaded; null when none fits. */
  open: OpenRequest | null;
  /** Everything above as plain text: for a terminal, a hover, or a language model to rephrase. */
  text: string;
}

export interface ExplainOptions {
  /** Run the experiments that take real time (keep-alive on loopback sockets). Default true. */
  realTime?: boolean;
}

export async function explain(f: Finding, options: ExplainOptions = {}): Promise<Explanation> {
  const { measured, description } = await measureAndDescribe(f, options);
  const open = openRequestFor(f);
  const lines = [description.title, '', description.summary];
  if (f.risks.length > 0) lines.push('', 'Risks:', ...f.risks.map((r) => `- [${r.severity}] ${r.message}`));
  if (measured.measurements.length > 0) lines.push('', 'Measured:', ...measured.measurements.map((m) => `- ${m.label}: ${m.display} (${m.engine} engine; ${m.method})`));
  if (measured.missing.length > 0) lines.push('', 'Not measured:', ...measured.missing.map((m) => `- ${m}`));
  if (open) lines.push('', `Open: ${open.title}`);
  return { concept: f.concept, title: description.title, summary: description.summary, measurements: measured.measurements, risks: f.risks, missing: measured.missing, open, text: lines.join('\n') };
}

async function measureAndDescribe(f: Finding, options: ExplainOptions): Promise<{ measured: Measured; description: Description }> {
  switch (f.concept) {
    case 'modulo-sharding': { const m = measureModuloSharding(f.params); return { measured: m, description: describeModuloSharding(f.params, m) }; }
    case 'hash-function': { const m = measureHashFunction(f.params); return { measured: m, description: describeHashFunction(f.params, m) }; }
    case 'hash-table': { const m = measureHashTable(f.params); return { measured: m, description: describeHashTable(f.params, m) }; }
    case 'hash-ring': { const m = measureHashRing(f.params); return { measured: m, description: describeHashRing(f.params, m) }; }
    case 'http-keepalive': { const m = await measureHttpKeepAlive(f.params, options.realTime ?? true, f.risks.map((r) => r.id)); return { measured: m, description: describeHttpKeepAlive(f.params, m) }; }
    case 'connection-pool': { const m = measureConnectionPool(f.params); return { measured: m, description: describeConnectionPool(f.params, m) }; }
    case 'idempotency': { const m = measureIdempotency(f.params); return { measured: m, description: describeIdempotency(f.params, m) }; }
    case 'ordered-consumption': { const m = measureOrderedConsumption(f.params); return { measured: m, description: describeOrderedConsumption(f.params, m) }; }
    case 'distributed-transaction': { const m = measureDistributedTransaction(f.params); return { measured: m, description: describeDistributedTransaction(f.params, m) }; }
  }
}
