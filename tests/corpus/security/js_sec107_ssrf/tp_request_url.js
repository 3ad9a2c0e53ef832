const express = require('express');
const axios = require('axios');
const http = require('http');
import got from 'got';

const app = express();

app.get('/proxy', async (req, res) => {
  const response = await axios.get(req.query.url); // expect: SEC107
  res.send(response.data);
});

app.post('/webhook/test', async (req, res) => {
  const { callbackUrl } = req.body;
  const r = await fetch(callbackUrl, { method: 'POST' }); // expect: SEC107
  res.json({ status: r.status });
});

app.get('/preview', (req, res) => {
  http.get(`http://${req.query.host}/status`, (r) => r.pipe(res)); // expect: SEC107
});

app.get('/image', async (req, res) => {
  const body = await got(req.query.src).buffer(); // expect: SEC107
  res.type('png').send(body);
});

app.get('/call', async (req, res) => {
  const out = await axios({ method: 'get', url: req.query.endpoint }); // expect: SEC107
  res.json(out.data);
});

module.exports = app;
