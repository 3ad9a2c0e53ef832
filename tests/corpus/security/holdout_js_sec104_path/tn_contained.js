const fs = require('fs/promises');
const path = require('path');
const express = require('express');

const router = express.Router();
const BASE = path.resolve(__dirname, 'public');

router.get('/files/:name', async (req, res) => {
  const data = await fs.readFile(path.join(BASE, path.basename(req.params.name)));
  res.send(data);
});

router.get('/docs', async (req, res) => {
  const resolved = path.resolve(BASE, String(req.query.p || ''));
  if (!resolved.startsWith(BASE + path.sep)) {
    return res.sendStatus(403);
  }
  res.type('text/plain').send(await fs.readFile(resolved, 'utf8'));
});

router.get('/img/:name', (req, res) => {
  res.sendFile(req.params.name, { root: BASE });
});

async function loadConfig() {
  return JSON.parse(await fs.readFile(path.join(__dirname, 'config.json'), 'utf8'));
}

module.exports = { router, loadConfig };
