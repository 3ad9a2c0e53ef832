const express = require('express');
const vm = require('vm');

const app = express();
const OPERATIONS = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
};

app.get('/calc', (req, res) => {
  const op = OPERATIONS[req.query.op];
  if (!op) return res.status(400).end();
  const a = parseInt(req.query.a, 10);
  const b = Number(req.query.b);
  res.json({ result: op(a, b) });
});

app.post('/config', (req, res) => {
  const config = JSON.parse(req.body.config);
  res.json(config);
});

// Constant code: nothing outside the source decides what runs.
const version = eval('1 + 1');
const identity = new Function('x', 'return x;');
const script = new vm.Script('globalThis.ready = true');

function scheduleRefresh(refresh) {
  setTimeout(refresh, 5000);
  setInterval(() => refresh(), 60000);
  setTimeout('console.log("tick")', 10);
}

module.exports = { app, version, identity, script, scheduleRefresh };
