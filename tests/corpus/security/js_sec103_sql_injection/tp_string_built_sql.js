const express = require('express');
const mysql = require('mysql2');
const { Pool } = require('pg');

const app = express();
const db = mysql.createConnection({ host: 'localhost', user: 'app', database: 'shop' });
const pool = new Pool();

app.get('/users/:id', (req, res) => {
  db.query(`SELECT * FROM users WHERE id = ${req.params.id}`, (err, rows) => { // expect: SEC103
    res.json(rows);
  });
});

app.get('/search', async (req, res) => {
  const term = req.query.q;
  const sql = "SELECT name FROM products WHERE name LIKE '%" + term + "%'";
  const result = await pool.query(sql); // expect: SEC103
  res.json(result.rows);
});

app.post('/orders', async (req, res) => {
  const { status, customer } = req.body;
  let query = 'UPDATE orders SET status = \'' + status + '\'';
  query += ' WHERE customer = ' + customer;
  await db.promise().execute(query); // expect: SEC103
  res.sendStatus(204);
});

async function findByEmail(knex, email) {
  return knex.raw(`select * from accounts where email = '${email}'`); // expect: SEC103
}

async function sortedItems(prisma, req) {
  const column = req.query.sort;
  return prisma.$queryRawUnsafe('SELECT * FROM items ORDER BY ' + column); // expect: SEC103
}

module.exports = { app, findByEmail, sortedItems };
