const express = require('express');

const router = express.Router();
const RETURN_PATHS = ['/inbox', '/settings'];

router.get('/done', (req, res) => {
  const back = RETURN_PATHS.includes(req.query.back) ? '/inbox' : req.query.back;
  res.redirect(back);  // expect: SEC106
});

router.get('/continue', (req, res) => {
  const next = req.query.next.startsWith('/') ? req.query.next : '/';
  res.redirect(next);  // expect: SEC106
});

router.get('/go', (req, res) => {
  const allowed = req.query.allowed.split(',');
  res.redirect(allowed.includes(req.query.url) ? req.query.url : '/');  // expect: SEC106
});

module.exports = router;
