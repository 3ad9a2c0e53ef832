const express = require('express');
const axios = require('axios');

const app = express();
const API = 'https://api.github.com';
const hosts = { eu: 'https://eu.example.com', us: 'https://us.example.com' };

app.get('/user', async (req, res) => {
  const r = await axios.get(`https://api.github.com/users/${encodeURIComponent(req.query.name)}`);
  res.json(r.data);
});

app.get('/repo', async (req, res) => {
  const r = await fetch('https://api.github.com/repos/' + req.params.owner + '/app');
  res.json(await r.json());
});

app.get('/health', async (req, res) => {
  const r = await fetch(`${API}/zen`);
  res.send(await r.text());
});

app.get('/region', async (req, res) => {
  const base = hosts[req.query.region];
  if (!base) return res.sendStatus(400);
  res.json((await axios.get(`${base}/status`)).data);
});

async function pollUpstream() {
  return axios.get(process.env.UPSTREAM_URL);
}

module.exports = { app, pollUpstream };
