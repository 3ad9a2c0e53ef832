const express = require('express');
const router = express.Router();

router.post('/logout', (req, res) => {
  req.session.destroy(() => {
    res.redirect(req.headers.referer || '/'); // expect: SEC106
  });
});

router.get('/sso', (req, res) => {
  const { returnTo } = req.query;
  const target = returnTo ? decodeURIComponent(returnTo) : '/dashboard';
  return res.redirect(target); // expect: SEC106
});

module.exports = router;
