const express = require('express');
const { Pool } = require('pg');
const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

const pool = new Pool();
const router = express.Router();

router.get('/orders', async (req, res) => {
  const { status, sort } = req.query;
  const sql = `SELECT * FROM orders WHERE status = '${status}' ORDER BY ${sort}`;
  const { rows } = await pool.query(sql);  // expect: SEC103
  res.json(rows);
});

router.get('/customers/search', async (req, res) => {
  const rows = await knex('customers').whereRaw(`name ILIKE '%${req.query.q}%'`);  // expect: SEC103
  res.json(rows);
});

module.exports = router;
