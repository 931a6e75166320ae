// expect: connection-pool library="database/sql" maxSize=25 maxLifetimeMs=300000 idleTimeoutMs=60000 risks=
package store

func tune(db *sql.DB) {
	db.SetMaxOpenConns(25)
	db.SetMaxIdleConns(25)
	db.SetConnMaxLifetime(5 * time.Minute)
	db.SetConnMaxIdleTime(time.Minute)
}
