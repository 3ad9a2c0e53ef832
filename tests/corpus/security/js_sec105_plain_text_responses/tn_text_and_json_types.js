const express = require('express');

const router = express.Router();

router.get('/echo', (req, res) => {
  res.type('text/plain').send(`you sent: ${req.query.msg}`);
});

router.get('/debug/:key', (req, res) => {
  res.set('Content-Type', 'text/plain; charset=utf-8');
  res.status(404).send('no entry named ' + req.params.key);
});

router.get('/export.csv', (req, res) => {
  res.setHeader('Content-Type', 'text/csv');
  res.send(['id', req.query.column].join(','));
});

router.post('/ping', (req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ pong: req.body.nonce }));
});

module.exports = router;
