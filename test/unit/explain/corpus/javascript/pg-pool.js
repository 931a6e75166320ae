// expect: connection-pool library=pg maxSize=25 idleTimeoutMs=30000 maxLifetimeMs=null risks=unbounded-acquire-wait
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 25,
  idleTimeoutMillis: 30000,
});

module.exports = { query: (text, params) => pool.query(text, params) };
