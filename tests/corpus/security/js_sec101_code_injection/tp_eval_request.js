const express = require('express');
const vm = require('vm');

const app = express();

app.get('/calc', (req, res) => {
  const expr = req.query.expr;
  const result = eval(expr); // expect: SEC101
  res.json({ result });
});

app.post('/rules', (req, res) => {
  const { condition } = req.body;
  const check = new Function('order', `return ${condition};`); // expect: SEC101
  res.json({ ok: check({ total: 10 }) });
});

app.post('/sandbox', (req, res) => {
  const output = vm.runInNewContext(req.body.code, { console }); // expect: SEC101
  res.json({ output });
});

app.get('/later', (req, res) => {
  setTimeout('notify("' + req.query.user + '")', 1000); // expect: SEC101
  res.sendStatus(202);
});

function evaluateFormula(formula) {
  return eval('(' + formula + ')'); // expect: SEC101
}

module.exports = { app, evaluateFormula };
