const express = require('express');

const router = express.Router();
const OPS = { add: (a, b) => a + b, sub: (a, b) => a - b };

router.get('/calc', (req, res) => {
  const op = OPS[req.query.op] || OPS.add;
  res.json({ result: op(Number(req.query.a), Number(req.query.b)) });
});

router.post('/config', (req, res) => {
  const cfg = JSON.parse(req.body.config || '{}');
  setTimeout(() => console.log('config applied', Object.keys(cfg)), 100);
  res.json({ ok: true });
});

const compiledAt = eval('Date.now()');
const regex = new RegExp('^[a-z]+$');
module.exports = { router, compiledAt, regex };
