/**
 * The extension-host side of a model running in a worker thread. Requests are answered in order;
 * view parts arrive as they change and are merged into `view`. If the worker dies, every pending
 * request fails with the reason and `onExit` fires, so the session can say so instead of hanging.
 */
import { Worker } from 'node:worker_threads';
import type { SessionFile } from './sessionFile';
import type { FromWorker, ToWorker, WorkerError, WorkerInit } from './workerProtocol';
import { UserError } from './model';

type Pending = { resolve: (s?: SessionFile) => void; reject: (e: Error) => void; onProgress?: (f: number, m?: string) => void };
type Outgoing = ToWorker extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

export class ModelClient {
  readonly view: Record<string, unknown> = {};
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly cancelFlag: Int32Array;
  private partListeners: ((parts: Record<string, unknown>) => void)[] = [];
  private exitListeners: ((reason: string) => void)[] = [];
  private dead: string | undefined;

  private constructor(private readonly worker: Worker, cancel: SharedArrayBuffer) {
    this.cancelFlag = new Int32Array(cancel);
  }

  /** Starts the worker and resolves once the model is built (or rejects with why it could not be). */
  static start(workerFile: string, init: Omit<WorkerInit, 'cancel'>): Promise<ModelClient> {
    const cancel = new SharedArrayBuffer(4);
    const worker = new Worker(workerFile, { workerData: { ...init, cancel } satisfies WorkerInit });
    const client = new ModelClient(worker, cancel);
    return new Promise((resolve, reject) => {
      const onFirst = (m: FromWorker): void => {
        if (m.type === 'ready') {
          Object.assign(client.view, m.parts);
          worker.off('message', onFirst);
          worker.on('message', (msg: FromWorker) => client.onMessage(msg));
          resolve(client);
        } else if (m.type === 'failed') {
          void worker.terminate();
          reject(toError(m.error));
        }
      };
      worker.on('message', onFirst);
      worker.once('error', (e) => { client.die(`the engine crashed: ${e.message}`); reject(e); });
      worker.once('exit', (code) => client.die(`the engine stopped (exit code ${code})`));
    });
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  onParts(l: (parts: Record<string, unknown>) => void): () => void {
    this.partListeners.push(l);
    return () => { this.partListeners = this.partListeners.filter((x) => x !== l); };
  }

  onExit(l: (reason: string) => void): () => void {
    this.exitListeners.push(l);
    return () => { this.exitListeners = this.exitListeners.filter((x) => x !== l); };
  }

  dispatch(intent: unknown, onProgress?: (fraction: number, message?: string) => void): Promise<void> {
    return this.request({ op: 'dispatch', intent }, onProgress).then(() => undefined);
  }

  seek(step: number): Promise<void> {
    return this.request({ op: 'seek', step }).then(() => undefined);
  }

  async exportSession(): Promise<SessionFile> {
    const s = await this.request({ op: 'export' });
    if (!s) throw new Error('the engine returned no session');
    return s;
  }

  /** Asks the running step to stop at its next check. */
  cancel(): void {
    Atomics.store(this.cancelFlag, 0, 1);
  }

  async dispose(): Promise<void> {
    if (this.dead) return;
    try {
      await Promise.race([this.request({ op: 'dispose' }), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // The worker is going away regardless.
    }
    await this.worker.terminate();
  }

  private request(msg: Outgoing, onProgress?: Pending['onProgress']): Promise<SessionFile | undefined> {
    if (this.dead) return Promise.reject(new Error(`Cannot run: ${this.dead}.`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      this.worker.postMessage({ ...msg, id } as ToWorker);
    });
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'parts':
        Object.assign(this.view, m.parts);
        for (const l of this.partListeners) l(m.parts);
        return;
      case 'progress':
        this.pending.get(m.id)?.onProgress?.(m.fraction, m.message);
        return;
      case 'result': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (!p) return;
        if (m.error) p.reject(toError(m.error));
        else p.resolve(m.session);
        return;
      }
      default:
        return;
    }
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = reason;
    for (const p of this.pending.values()) p.reject(new Error(`Cannot finish: ${reason}.`));
    this.pending.clear();
    for (const l of this.exitListeners) l(reason);
  }
}

/** A worker's error as an Error of this thread: a UserError when it was written for the user. */
export function toError(e: WorkerError): Error {
  return e.user ? new UserError(e.message) : new Error(e.message);
}
