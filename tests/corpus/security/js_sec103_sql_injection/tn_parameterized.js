const express = require('express');
const mysql = require('mysql2');
const { Pool } = require('pg');

const app = express();
const db = mysql.createConnection({ host: 'localhost', user: 'app', database: 'shop' });
const pool = new Pool();
const TABLE = 'users';

app.get('/users/:id', (req, res) => {
  db.query('SELECT * FROM users WHERE id = ?', [req.params.id], (err, rows) => {
    res.json(rows);
  });
});

app.get('/search', async (req, res) => {
  const result = await pool.query('SELECT name FROM products WHERE name LIKE $1', [
    `%${req.query.q}%`,
  ]);
  res.json(result.rows);
});

app.get('/page', async (req, res) => {
  const limit = parseInt(req.query.limit, 10) || 20;
  const offset = Number(req.query.offset);
  const rows = await pool.query(`SELECT * FROM ${TABLE} LIMIT ${limit} OFFSET ${offset}`);
  res.json(rows.rows);
});

app.get('/recent', async (req, res) => {
  const sql = 'SELECT * FROM events ORDER BY created_at DESC LIMIT 10';
  res.json(await db.promise().query(sql));
});

async function byName(sql, name) {
  // postgres.js / slonik tagged templates send values as parameters.
  return sql`SELECT * FROM users WHERE name = ${name}`;
}

async function escaped(req) {
  const id = mysql.escape(req.query.id);
  return db.promise().query('SELECT * FROM users WHERE id = ' + id);
}

// query() of something that is not a database.
const params = new URLSearchParams(window.location.search);
const selected = document.querySelector('#list').query;
const store = { query: (q) => q };
store.query(`key:${params.get('k')}`);

module.exports = { app, byName, escaped, selected };
