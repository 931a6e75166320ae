/**
 * The worker-thread side of a model: builds the model from the init data, runs requests one at a
 * time, and after each one posts only the view parts whose JSON changed. Long steps poll the shared
 * cancel flag, so a cancel works even while the worker is busy in a synchronous loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { InspectorModel, ModelFactory, RunContext } from './model';
import { UserError } from './model';
import { SessionFileError, parseSessionFile } from './sessionFile';
import type { FromWorker, ToWorker, WorkerError, WorkerInit } from './workerProtocol';

export function toWorkerError(e: unknown): WorkerError {
  if (e instanceof UserError || e instanceof SessionFileError) return { message: e.message, user: true };
  const err = e instanceof Error ? e : new Error(String(e));
  return { message: err.stack ?? err.message, user: false };
}

/** Tracks what the host already has, so only changed parts cross the thread boundary. */
export class PartDiffer {
  private last = new Map<string, string>();
  diff(view: Record<string, unknown>): Record<string, unknown> | undefined {
    let changed: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(view)) {
      const s = JSON.stringify(v);
      if (this.last.get(k) !== s) {
        this.last.set(k, s);
        (changed ??= {})[k] = v;
      }
    }
    return changed;
  }
}

export function buildModel<C, I, S>(factory: ModelFactory<C, I, S>, init: Pick<WorkerInit, 'config' | 'sessionText' | 'options'>): InspectorModel<I> {
  const options = init.options ?? {};
  if (init.sessionText !== undefined) {
    const file = parseSessionFile(init.sessionText, { kind: factory.kind, config: factory.configSchema, step: factory.stepSchema });
    return factory.fromSession(file, options);
  }
  const parsed = factory.configSchema.parse(init.config ?? factory.defaults(), 'config');
  if (!parsed.ok) throw new UserError(`Invalid ${factory.title} settings: ${parsed.error}.`);
  return factory.create(parsed.value, options);
}

export function serveModel<C, I, S>(factory: ModelFactory<C, I, S>): void {
  const port = parentPort;
  if (!port) throw new Error('serveModel must run in a worker thread');
  const init = workerData as WorkerInit;
  const flag = new Int32Array(init.cancel);
  const post = (m: FromWorker): void => port.postMessage(m);
  const differ = new PartDiffer();

  let model: InspectorModel<I>;
  try {
    model = buildModel(factory, init);
  } catch (e) {
    post({ type: 'failed', error: toWorkerError(e) });
    return;
  }
  post({ type: 'ready', parts: differ.diff(model.view())! });

  const pushView = (): void => {
    const parts = differ.diff(model.view());
    if (parts) post({ type: 'parts', parts });
  };
  // Models with their own clocks (real sockets, timers) announce changes; coalesce them.
  let pending: NodeJS.Timeout | undefined;
  (model as { subscribe?: (l: () => void) => void }).subscribe?.(() => {
    pending ??= setTimeout(() => { pending = undefined; pushView(); }, 33);
  });

  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    queue = queue.then(() => handle(msg));
  });

  async function handle(msg: ToWorker): Promise<void> {
    Atomics.store(flag, 0, 0);
    try {
      switch (msg.op) {
        case 'dispatch': {
          const parsed = factory.intentSchema.parse(msg.intent, 'intent');
          if (!parsed.ok) throw new UserError(`Rejected ${factory.title} operation: ${parsed.error}.`);
          let lastProgress = 0;
          const ctx: RunContext = {
            progress(fraction, message) {
              const now = Date.now();
              if (now - lastProgress < 100 && fraction < 1) return;
              lastProgress = now;
              post({ type: 'progress', id: msg.id, fraction, ...(message !== undefined ? { message } : {}) });
            },
            get cancelled() {
              return Atomics.load(flag, 0) !== 0;
            },
          };
          await model.dispatch(parsed.value, ctx);
          pushView();
          post({ type: 'result', id: msg.id });
          return;
        }
        case 'seek':
          model.seek(msg.step);
          pushView();
          post({ type: 'result', id: msg.id });
          return;
        case 'export':
          post({ type: 'result', id: msg.id, session: model.exportSession() });
          return;
        case 'dispose':
          await model.dispose?.();
          post({ type: 'result', id: msg.id });
          return;
      }
    } catch (e) {
      pushView();
      post({ type: 'result', id: msg.id, error: toWorkerError(e) });
    }
  }
}
