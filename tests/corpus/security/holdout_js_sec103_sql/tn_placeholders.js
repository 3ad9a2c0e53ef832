const express = require('express');
const { Pool } = require('pg');
const knex = require('knex')({ client: 'pg' });

const pool = new Pool();
const router = express.Router();
const TABLE = 'orders';

router.get('/orders/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  res.json(rows[0] || null);
});

router.get('/orders', async (req, res) => {
  const rows = await knex(TABLE).where({ status: req.query.status }).orderBy('created_at', 'desc');
  res.json(rows);
});

router.get('/count', async (req, res) => {
  const { rows } = await pool.query(`SELECT count(*) FROM ${TABLE} WHERE status = $1`, [req.query.status]);
  res.json(rows[0]);
});

router.get('/search', async (req, res) => {
  const rows = await knex('customers').whereRaw('name ILIKE ?', [`%${req.query.q}%`]);
  res.json(rows);
});

module.exports = router;
