import http from 'node:http';
import mysql from 'mysql2/promise';

/** FNV-1a, 32-bit: cheap and well spread for short string keys. */
export function fnv1a32(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const shardCount = Number(process.env.SHARDS ?? 4);

// Modulo sharding: adding a fifth shard moves about 80% of all users to a different database.
export function shardFor(userId: string): number {
  return fnv1a32(`user:${userId}`) % shardCount;
}

// One keep-alive agent for every call to the inventory service. The server closes idle sockets
// after 5 s (Node's default keepAliveTimeout), so the client must drop them sooner.
export const inventoryAgent = new http.Agent({
  keepAlive: true,
  maxSockets: 50,
  maxFreeSockets: 10,
  timeout: 4000,
});

export const shardPools = Array.from({ length: shardCount }, (_, i) =>
  mysql.createPool({
    host: `orders-db-${i}.internal`,
    user: 'orders',
    database: 'orders',
    connectionLimit: 20,
    maxIdle: 5,
    idleTimeout: 60_000,
    queueLimit: 100,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
  }),
);

export async function findOrders(userId: string): Promise<unknown[]> {
  const pool = shardPools[shardFor(userId)]!;
  const [rows] = await pool.query('SELECT id, total_cents, status FROM orders WHERE user_id = ?', [userId]);
  return rows as unknown[];
}

export function reserveStock(sku: string, quantity: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: 'inventory.internal', port: 8080, path: `/reserve/${encodeURIComponent(sku)}`, method: 'POST', agent: inventoryAgent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ quantity }));
  });
}
