// expect: connection-pool library="database/sql" maxSize=10 maxLifetimeMs=null risks=no-max-lifetime,idle-above-open
package store

func Open(dsn string) (*sql.DB, error) {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(20)
	return db, nil
}
