const axios = require('axios');
const express = require('express');

const router = express.Router();
const api = axios.create({ baseURL: 'https://api.github.com', timeout: 5000 });

router.get('/gh/:user', async (req, res) => {
  const r = await api.get(`/users/${encodeURIComponent(req.params.user)}`);
  res.json(r.data);
});

router.get('/weather', async (req, res) => {
  const r = await fetch(`https://weather.example.com/v1/forecast?city=${encodeURIComponent(req.query.city)}`);
  res.json(await r.json());
});

async function refresh() {
  return (await axios.get('https://status.example.com/api/summary')).data;
}

module.exports = { router, refresh };
