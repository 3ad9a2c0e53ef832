const axios = require('axios');
const express = require('express');
const http = require('http');

const router = express.Router();

router.post('/webhooks/test', async (req, res) => {
  const r = await axios.post(req.body.url, { ping: true }, { timeout: 5000 });  // expect: SEC107
  res.json({ status: r.status });
});

router.get('/preview', async (req, res) => {
  const target = req.query.link;
  const page = await fetch(target);  // expect: SEC107
  res.json({ title: (await page.text()).slice(0, 100) });
});

router.get('/probe', (req, res) => {
  http.get({ host: req.query.host, port: 80, path: '/status' }, (r) => res.sendStatus(r.statusCode));  // expect: SEC107
});

module.exports = router;
