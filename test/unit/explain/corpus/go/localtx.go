// expect: distributed-transaction protocol=local participants=["stock"] risks=
package stock

func Reserve(db *sql.DB, sku string, n int) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec("UPDATE stock SET reserved = reserved + ? WHERE sku = ?", n, sku); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
