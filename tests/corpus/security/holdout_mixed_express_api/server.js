const express = require('express');
const crypto = require('crypto');
const db = require('./db');

const app = express();
app.use(express.json());

app.post('/api/login', async (req, res) => {
  const { rows } = await db.query('SELECT id, pw_hash, salt FROM users WHERE email = $1', [req.body.email]);
  const user = rows[0];
  if (!user) return res.sendStatus(401);
  const hash = crypto.scryptSync(req.body.password, user.salt, 64).toString('hex');
  if (hash !== user.pw_hash) return res.sendStatus(401);
  const token = crypto.randomBytes(32).toString('hex');
  res.cookie('session', token, { httpOnly: true, secure: true, sameSite: 'lax' });
  res.json({ ok: true });
});

app.get('/api/reports', async (req, res) => {
  const { rows } = await db.query(`SELECT * FROM reports WHERE owner = '${req.query.owner}'`);  // expect: SEC103
  res.json(rows);
});

app.get('/welcome', (req, res) => {
  res.send('<p>Welcome ' + req.query.name + '</p>');  // expect: SEC105
});

app.get('/api/reports/:id', async (req, res) => {
  const { rows } = await db.query('SELECT * FROM reports WHERE id = $1', [req.params.id]);
  if (!rows.length) return res.status(404).json({ error: 'not found' });
  res.json(rows[0]);
});

app.listen(process.env.PORT || 3000);
