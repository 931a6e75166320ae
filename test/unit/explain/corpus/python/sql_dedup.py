# expect: idempotency store=sql risks=
# expect: distributed-transaction protocol=local participants=["processed_messages"] risks=
def consume(conn, message):
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO processed_messages (message_id) VALUES (%s) ON CONFLICT (message_id) DO NOTHING",
            (message.id,),
        )
        if cur.rowcount == 0:
            return
        apply_payment(cur, message)
    conn.commit()
