const express = require('express');
const serialize = require('node-serialize');

const app = express();

app.get('/profile', (req, res) => {
  const raw = Buffer.from(req.cookies.profile, 'base64').toString();
  const profile = JSON.parse(raw);
  res.json(profile);
});

const saved = serialize.serialize({ name: 'report', pages: 3 });
const defaults = serialize.unserialize('{"theme":"dark"}');

module.exports = { app, saved, defaults };
