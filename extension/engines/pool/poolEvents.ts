/**
 * What a pool reports as it works, one event per thing that happened to a connection or a
 * borrower. The model keeps a bounded window of them for the view's event lanes; tests read them
 * to check order and timing. `t` is the pool's clock (virtual ms for the embedded server).
 */
export type EvictReason =
  | 'idle-timeout'
  | 'max-lifetime'
  | 'max-idle'
  | 'max-uses'
  | 'shrink'
  | 'broken'
  | 'validation-failed'
  | 'ping-failed'
  | 'pool-closed';

export const EVICT_REASONS: readonly EvictReason[] = ['idle-timeout', 'max-lifetime', 'max-idle', 'max-uses', 'shrink', 'broken', 'validation-failed', 'ping-failed', 'pool-closed'];

export type PoolEventBody =
  | { type: 'connecting'; conn: number }
  | { type: 'connected'; conn: number; threadId: number; ms: number }
  | { type: 'connect-failed'; conn: number; code: string; message: string }
  /** A borrower found nothing to take and queued; `position` is 1 for the head of the queue. */
  | { type: 'wait'; waiter: number; borrower: string; position: number }
  | { type: 'borrow'; conn: number; waiter: number; borrower: string; waitedMs: number }
  | { type: 'timeout'; waiter: number; borrower: string; waitedMs: number }
  | { type: 'return'; conn: number; heldMs: number; queries: number }
  | { type: 'validate'; conn: number }
  | { type: 'validate-failed'; conn: number; code: string }
  | { type: 'ping'; conn: number }
  | { type: 'ping-failed'; conn: number; code: string }
  | { type: 'query-failed'; conn: number; code: string; message: string }
  | { type: 'leak'; conn: number; borrower: string; heldMs: number; stack: string }
  | { type: 'evict'; conn: number; reason: EvictReason }
  | { type: 'closed'; conn: number };

export type PoolEvent = { t: number } & PoolEventBody;
export type PoolEventType = PoolEvent['type'];
