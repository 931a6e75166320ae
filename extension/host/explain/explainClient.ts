/**
 * The extension host's handle on the Explain worker: started on first use (it loads the TypeScript
 * compiler and every engine), stopped after a while without requests to give the memory back, and
 * restarted on the next request if it stopped or crashed. A request whose worker dies fails with
 * the reason instead of hanging. Free of `vscode`, so tests drive it with the real worker bundle.
 */
import { Worker } from 'node:worker_threads';
import { toError } from '../../engines/core/modelClient';
import type { ExplainOp, ExplainOps, FromExplainWorker, ToExplainWorker } from './explainWorkerProtocol';

interface Pending {
  resolve(value: unknown): void;
  reject(e: Error): void;
}

/** How long an idle worker is kept: long enough for a few explanations in a row. */
const IDLE_MS = 5 * 60_000;

export class ExplainClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idle: NodeJS.Timeout | undefined;

  constructor(private readonly workerFile: string, private readonly idleMs = IDLE_MS) {}

  request<K extends ExplainOp>(op: K, args: ExplainOps[K]['args']): Promise<ExplainOps[K]['result']> {
    clearTimeout(this.idle);
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<ExplainOps[K]['result']>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op, args } as ToExplainWorker);
    });
  }

  /** Whether the worker is running (for tests and the log). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  dispose(): void {
    clearTimeout(this.idle);
    this.stop('the Explain engine was shut down');
  }

  private start(): Worker {
    const worker = new Worker(this.workerFile);
    this.worker = worker;
    worker.on('message', (m: FromExplainWorker) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(toError(m.error));
      if (this.pending.size === 0) this.idle = setTimeout(() => this.stop('idle'), this.idleMs);
    });
    worker.once('error', (e) => this.fail(worker, `the Explain engine crashed: ${e.message}`));
    worker.once('exit', (code) => this.fail(worker, `the Explain engine stopped (exit code ${code})`));
    return worker;
  }

  private stop(reason: string): void {
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, reason);
    void worker.terminate();
  }

  private fail(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Error(`Cannot finish: ${reason}.`));
    this.pending.clear();
  }
}
