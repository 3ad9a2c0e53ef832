const express = require('express');
const escapeHtml = require('escape-html');
const app = express();

app.get('/hello', (req, res) => {
  res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`);
});

app.get('/api/user', (req, res) => {
  res.send({ id: req.query.id, ok: true });
});

app.get('/count', (req, res) => {
  const n = Number(req.query.n);
  res.send(`<p>${n * 2}</p>`);
});

app.get('/page', (req, res) => {
  res.render('page', { title: req.query.title });
});

app.get('/json', (req, res) => {
  res.json({ echo: req.body });
});

const label = document.getElementById('label');
label.textContent = location.hash.slice(1);
document.getElementById('footer').innerHTML = '<b>Static</b>';
const item = { name: 'x' };
label.innerHTML = `<span>${item.name}</span>`;

module.exports = app;
