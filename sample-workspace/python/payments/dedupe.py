"""Exactly-once effects for payment messages delivered at least once."""
import hashlib
import json
import zlib

import mysql.connector.pooling
import redis

cache = redis.Redis(host="cache.internal", port=6379)

pool = mysql.connector.pooling.MySQLConnectionPool(
    pool_name="payments",
    pool_size=10,
    pool_reset_session=True,
    host="payments-db.internal",
    user="payments",
    database="payments",
)

WORKERS = 6


def worker_for(order_id: str) -> int:
    """Per-order ordering: one order's messages always land on the same worker."""
    return zlib.crc32(order_id.encode()) % WORKERS


def seen_recently(message_id: str) -> bool:
    """Weak check, fine for notifications: a duplicate inside 10 minutes is dropped."""
    return not cache.set(f"idem:notify:{message_id}", 1, nx=True, ex=600)


def charge_once(idempotency_key: str, payload: dict, charge) -> dict:
    """Strong check for money: a unique row with a state, the stored result and a payload fingerprint."""
    fingerprint = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    conn = pool.get_connection()
    try:
        cur = conn.cursor(dictionary=True)
        conn.start_transaction()
        cur.execute(
            "INSERT IGNORE INTO idempotency (id, state, fingerprint) VALUES (%s, 'in_progress', %s)",
            (idempotency_key, fingerprint),
        )
        if cur.rowcount == 0:
            cur.execute("SELECT state, fingerprint, result FROM idempotency WHERE id = %s FOR UPDATE", (idempotency_key,))
            row = cur.fetchone()
            conn.commit()
            if row["fingerprint"] != fingerprint:
                raise ValueError("idempotency key reused with a different payload")
            return json.loads(row["result"]) if row["state"] == "done" else {"status": "in_progress"}
        conn.commit()
        result = charge(payload)
        cur.execute("UPDATE idempotency SET state = 'done', result = %s WHERE id = %s", (json.dumps(result), idempotency_key))
        conn.commit()
        return result
    finally:
        conn.close()


def transfer_between_shards(xid: str, debit_conn, credit_conn, cents: int) -> None:
    """Two-phase commit with MySQL XA: both branches prepare, then both commit."""
    for conn, sql in ((debit_conn, "UPDATE accounts SET balance = balance - %s WHERE id = 1"),
                      (credit_conn, "UPDATE accounts SET balance = balance + %s WHERE id = 2")):
        cur = conn.cursor()
        cur.execute(f"XA START '{xid}'")
        cur.execute(sql, (cents,))
        cur.execute(f"XA END '{xid}'")
        cur.execute(f"XA PREPARE '{xid}'")
    for conn in (debit_conn, credit_conn):
        conn.cursor().execute(f"XA COMMIT '{xid}'")
