'use strict';

const express = require('express');
const bodyParser = require('body-parser');
const cookieParser = require('cookie-parser');
const mysql = require('mysql');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { exec } = require('child_process');
const fetch = require('node-fetch');

const app = express();
app.use(bodyParser.json());
app.use(cookieParser());

const connection = mysql.createConnection({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  database: 'inventory',
});

const STATIC_ROOT = path.join(__dirname, 'static');

function hashSessionId(id) {
  return crypto.createHash('md5').update(id).digest('hex'); // expect: SEC108
}

app.get('/api/products', (req, res) => {
  const category = req.query.category;
  const sort = req.query.sort || 'name';
  let sql = 'SELECT id, name, price FROM products';
  if (category) {
    sql += " WHERE category = '" + category + "'";
  }
  sql += ' ORDER BY ' + sort;
  connection.query(sql, (err, rows) => { // expect: SEC103
    if (err) return res.status(500).json({ error: 'db' });
    res.json(rows);
  });
});

app.get('/api/products/:id', (req, res) => {
  connection.query('SELECT * FROM products WHERE id = ?', [req.params.id], (err, rows) => {
    if (err || rows.length === 0) return res.sendStatus(404);
    res.json(rows[0]);
  });
});

app.get('/static/:file', (req, res) => {
  const file = req.params.file;
  fs.readFile(STATIC_ROOT + '/' + file, (err, data) => { // expect: SEC104
    if (err) return res.sendStatus(404);
    res.end(data);
  });
});

app.get('/assets/:name', (req, res) => {
  res.sendFile(path.basename(req.params.name), { root: STATIC_ROOT });
});

app.post('/api/ping', (req, res) => {
  const target = req.body.target;
  exec('ping -c 3 ' + target, (err, stdout) => { // expect: SEC102
    res.type('text/plain').send(stdout);
  });
});

app.get('/api/weather', async (req, res) => {
  const city = encodeURIComponent(req.query.city);
  const r = await fetch(`https://api.weather.example.com/v1/current?city=${city}`);
  res.json(await r.json());
});

app.get('/api/avatar', async (req, res) => {
  const r = await fetch(req.query.avatarUrl); // expect: SEC107
  r.body.pipe(res);
});

app.get('/welcome', (req, res) => {
  const user = req.cookies.username;
  res.send('<h2>Welcome back, ' + user + '!</h2>'); // expect: SEC105
});

app.post('/login', (req, res) => {
  const sid = crypto.randomBytes(24).toString('hex');
  res.cookie('sid', sid, { httpOnly: true, secure: true, sameSite: 'strict' });
  res.redirect(req.body.next || '/'); // expect: SEC106
});

app.listen(process.env.PORT || 3000);
