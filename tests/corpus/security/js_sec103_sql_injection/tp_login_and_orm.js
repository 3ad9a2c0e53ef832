const express = require('express');
const { Sequelize } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL);
const app = express();

app.post('/login', (req, res) => {
  const username = req.body.username;
  const password = req.body.password;
  connection.query( // expect: SEC103
    "SELECT * FROM users WHERE username = '" + username + "' AND password = '" + password + "'",
    (err, results) => res.json({ ok: results.length > 0 }),
  );
});

app.get('/reports', async (req, res) => {
  const year = req.query.year;
  const rows = await sequelize.query(`SELECT * FROM reports WHERE year = ${year}`); // expect: SEC103
  res.json(rows);
});

module.exports = app;
