// expect: distributed-transaction protocol=outbox participants=["accounts","outbox","message relay"] risks=outbox-at-least-once
package ledger

func Transfer(ctx context.Context, db *sql.DB, from, to string, amount int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - ? WHERE id = ?", amount, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO outbox (topic, payload) VALUES ('transfers', ?)", payload(from, to, amount)); err != nil {
		return err
	}
	return tx.Commit()
}
