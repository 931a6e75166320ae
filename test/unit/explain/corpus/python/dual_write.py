# expect: distributed-transaction protocol=local participants=["payments"] risks=dual-write,no-rollback
def record_payment(conn, payment):
    cur = conn.cursor()
    cur.execute("BEGIN")
    cur.execute("INSERT INTO payments (id, amount) VALUES (%s, %s)", (payment.id, payment.amount))
    requests.post("https://ledger.internal/entries", json=payment.as_dict())
    cur.execute("COMMIT")
