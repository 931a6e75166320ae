import Redis from 'ioredis';
import { fnv1a32 } from './shardRouter';

interface PaymentMessage {
  messageId: string;
  orderId: string;
  amountCents: number;
}

const redis = new Redis({ host: 'cache.internal', port: 6379 });
const DEDUPE_TTL_SECONDS = 24 * 60 * 60;

/**
 * Weak check: the first delivery wins the key, later duplicates within the TTL are dropped.
 * If the process dies after SET and before charge(), the payment is lost until the key expires.
 */
export async function handlePayment(msg: PaymentMessage, charge: (m: PaymentMessage) => Promise<void>): Promise<boolean> {
  const won = await redis.set(`idem:payment:${msg.messageId}`, 'processing', 'EX', DEDUPE_TTL_SECONDS, 'NX');
  if (won !== 'OK') return false;
  await charge(msg);
  await redis.set(`idem:payment:${msg.messageId}`, 'done', 'EX', DEDUPE_TTL_SECONDS, 'XX');
  return true;
}

const workerCount = 8;
const queues: PaymentMessage[][] = Array.from({ length: workerCount }, () => []);

// Per-key ordering: every message of one order goes to the same worker's queue.
export function enqueue(msg: PaymentMessage): void {
  queues[fnv1a32(msg.orderId) % workerCount]!.push(msg);
}
