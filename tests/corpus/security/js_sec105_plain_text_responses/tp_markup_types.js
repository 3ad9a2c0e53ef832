const express = require('express');

const router = express.Router();

router.get('/badge', (req, res) => {
  res.type('image/svg+xml');
  res.send(`<svg xmlns="http://www.w3.org/2000/svg"><text>${req.query.label}</text></svg>`);  // expect: SEC105
});

router.get('/preview', (req, res) => {
  if (req.query.raw === '1') {
    res.type('txt');
  }
  res.send('<h1>' + req.query.title + '</h1>');  // expect: SEC105
});

router.get('/page', (req, res) => {
  res.type('txt');
  res.type('html');
  res.send(`<p>${req.query.body}</p>`);  // expect: SEC105
});

module.exports = router;
