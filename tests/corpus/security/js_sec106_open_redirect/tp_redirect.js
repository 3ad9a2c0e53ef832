const express = require('express');
const app = express();

app.get('/login/callback', (req, res) => {
  const next = req.query.next;
  res.redirect(next); // expect: SEC106
});

app.get('/out', (req, res) => {
  res.redirect(302, req.query.url); // expect: SEC106
});

app.get('/go', (req, res) => {
  res.location(req.get('Referer')).sendStatus(302); // expect: SEC106
});

app.get('/jump', (req, res) => {
  res.redirect('//' + req.query.host + '/welcome'); // expect: SEC106
});

module.exports = app;
