const express = require('express');
const escapeHtml = require('escape-html');

const router = express.Router();

router.get('/search', (req, res) => {
  res.send(`<h1>Results for ${escapeHtml(req.query.q || '')}</h1>`);
});

router.get('/api/echo', (req, res) => {
  res.json({ echo: req.query.msg });
});

router.get('/page', (req, res) => {
  res.render('page', { title: req.query.title });
});

function showUser() {
  const user = new URLSearchParams(window.location.search).get('user');
  document.getElementById('user').textContent = user;
  document.getElementById('footer').innerHTML = '<small>&copy; Example</small>';
}

module.exports = { router, showUser };
