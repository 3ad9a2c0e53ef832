const express = require('express');
const knex = require('knex')({ client: 'pg' });
const { Sequelize, QueryTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL);
const app = express();

app.get('/users/:id', async (req, res) => {
  const user = await knex('users').where({ id: req.params.id }).first();
  res.json(user);
});

app.get('/reports', async (req, res) => {
  const rows = await sequelize.query('SELECT * FROM reports WHERE year = :year', {
    replacements: { year: req.query.year },
    type: QueryTypes.SELECT,
  });
  res.json(rows);
});

app.get('/orders', async (req, res) => {
  const status = req.query.status === 'open' ? 'open' : 'closed';
  const rows = await knex.raw(`SELECT * FROM orders WHERE status = '${status}'`);
  res.json(rows);
});

module.exports = app;
