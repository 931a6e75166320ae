// expect: connection-pool
const db = require('knex')({
  client: 'mysql2',
  connection: { host: 'db', user: 'app', database: 'shop' },
  pool: { min: 2, max: 20, idleTimeoutMillis: 30000, acquireTimeoutMillis: 10000 },
});
