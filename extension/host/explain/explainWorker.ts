/**
 * The Explain worker (dist/workers/explain.js): recognition, measurements and the selected-hash
 * sandbox off the extension host's thread. It bundles the TypeScript compiler and every engine,
 * which is why the host starts it only when Explain Selection is first used.
 */
import { parentPort } from 'node:worker_threads';
import { toWorkerError } from '../../engines/core/modelWorker';
import { explainFinding, measureHash, recogniseSelection } from './explainService';
import type { FromExplainWorker, ToExplainWorker } from './explainWorkerProtocol';

const port = parentPort;
if (!port) throw new Error('explainWorker must run in a worker thread');

async function answer(m: ToExplainWorker): Promise<unknown> {
  switch (m.op) {
    case 'recognise': return recogniseSelection(m.args.text, m.args.languageId, m.args.origin);
    case 'explain': return explainFinding(m.args.finding, m.args.realTime);
    case 'measureHash': return measureHash(m.args.text, m.args.languageId);
  }
}

// Requests run concurrently: a keep-alive race that takes seconds must not hold up a quick one.
port.on('message', (m: ToExplainWorker) => {
  answer(m).then(
    (result) => port.postMessage({ id: m.id, ok: true, result } satisfies FromExplainWorker),
    (e: unknown) => port.postMessage({ id: m.id, ok: false, error: toWorkerError(e) } satisfies FromExplainWorker),
  );
});
