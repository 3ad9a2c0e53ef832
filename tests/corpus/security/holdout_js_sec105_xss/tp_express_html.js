const express = require('express');

const router = express.Router();

router.get('/search', (req, res) => {
  const q = req.query.q || '';
  res.send(`<h1>Results for ${q}</h1><ul></ul>`);  // expect: SEC105
});

router.get('/profile/:name', (req, res) => {
  res.write('<html><body><h2>' + req.params.name + '</h2>');  // expect: SEC105
  res.end('</body></html>');
});

module.exports = router;
