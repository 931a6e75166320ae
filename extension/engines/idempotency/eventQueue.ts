/**
 * The simulation's pending events as a binary min-heap on (time, sequence number), so events due at
 * the same millisecond run in the order they were scheduled. Events are plain data and the heap is
 * a plain array, so a snapshot is a structured clone.
 */
export interface QueuedEvent {
  /** When it is due (ms on the simulation clock). */
  t: number;
  /** Scheduling order; breaks ties in time. */
  n: number;
}

const before = (a: QueuedEvent, b: QueuedEvent): boolean => a.t < b.t || (a.t === b.t && a.n < b.n);

export function heapPush<E extends QueuedEvent>(heap: E[], e: E): void {
  heap.push(e);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(heap[i]!, heap[p]!)) break;
    [heap[i], heap[p]] = [heap[p]!, heap[i]!];
    i = p;
  }
}

export function heapPop<E extends QueuedEvent>(heap: E[]): E | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (top === undefined || last === undefined || heap.length === 0) return top;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
    if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
    if (m === i) return top;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}
