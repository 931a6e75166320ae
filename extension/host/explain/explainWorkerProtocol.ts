/** Messages between the extension host (ExplainClient) and the Explain worker (explainWorker.ts). */
import type { WorkerError } from '../../engines/core/workerProtocol';
import type { Finding, Position } from '../../explain';
import type { ExplanationWithPlan, HashMeasurement, Recognised } from './explainService';

export interface ExplainOps {
  recognise: { args: { text: string; languageId: string; origin: Position }; result: Recognised };
  explain: { args: { finding: Finding; realTime: boolean }; result: ExplanationWithPlan };
  measureHash: { args: { text: string; languageId: string }; result: HashMeasurement };
}
export type ExplainOp = keyof ExplainOps;

export type ToExplainWorker = { [K in ExplainOp]: { id: number; op: K; args: ExplainOps[K]['args'] } }[ExplainOp];

export type FromExplainWorker = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WorkerError };
