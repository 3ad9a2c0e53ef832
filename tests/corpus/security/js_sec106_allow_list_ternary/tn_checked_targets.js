const express = require('express');

const router = express.Router();
const RETURN_PATHS = ['/inbox', '/settings', '/billing'];

router.get('/done', (req, res) => {
  const back = RETURN_PATHS.includes(req.query.back) ? req.query.back : '/inbox';
  res.redirect(back);
});

router.get('/switch', (req, res) => {
  const lang = req.query.lang;
  res.redirect(lang === 'en' || lang === 'de' ? lang : 'en');
});

router.get('/legacy', (req, res) => {
  res.redirect(RETURN_PATHS.indexOf(req.query.to) === -1 ? '/inbox' : req.query.to);
});

module.exports = router;
