const express = require('express');
const app = express();
const ALLOWED = new Set(['/home', '/settings']);

app.get('/items', (req, res) => {
  res.redirect(`/items/${encodeURIComponent(req.query.id)}`);
});

app.get('/search', (req, res) => {
  res.redirect('/search?q=' + req.query.q);
});

app.get('/back', (req, res) => {
  const target = req.query.to;
  if (!ALLOWED.has(target)) return res.redirect('/home');
  res.redirect(target);
});

app.get('/docs', (req, res) => {
  res.redirect(301, 'https://docs.example.com/' + req.params.page);
});

app.get('/old', (req, res) => res.redirect('/new'));

module.exports = app;
