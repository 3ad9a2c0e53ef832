const tls = require('tls');
const { Pool } = require('pg');

const socket = tls.connect(8443, 'internal.example', { rejectUnauthorized: false }); // expect: SEC111

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  ssl: { rejectUnauthorized: false }, // expect: SEC111
});

module.exports = { socket, pool };
