const express = require('express');

const router = express.Router();
const ALLOWED = new Set(['/dashboard', '/settings', '/billing']);

router.get('/item', (req, res) => {
  res.redirect(`/items/${encodeURIComponent(req.query.id)}`);
});

router.get('/go', (req, res) => {
  const target = ALLOWED.has(req.query.next) ? req.query.next : '/dashboard';
  res.redirect(target);
});

router.get('/home', (req, res) => {
  res.redirect('/dashboard');
});

module.exports = router;
