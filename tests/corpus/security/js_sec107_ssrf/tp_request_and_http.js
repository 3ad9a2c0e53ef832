const express = require('express');
const request = require('request');
const https = require('https');

const app = express();

app.get('/fetch', (req, res) => {
  request(req.query.url).pipe(res); // expect: SEC107
});

app.get('/status', (req, res) => {
  const options = { host: req.query.host, path: '/health', port: 443 };
  https.request(options, (r) => r.pipe(res)).end(); // expect: SEC107
});

module.exports = app;
