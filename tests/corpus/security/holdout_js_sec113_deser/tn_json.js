const express = require('express');
const serialize = require('node-serialize');

const app = express();

app.get('/dashboard', (req, res) => {
  const profile = JSON.parse(Buffer.from(req.cookies.profile || '', 'base64').toString() || '{}');
  res.set('X-Profile', serialize.serialize({ name: profile.name }));
  res.json({ name: profile.name });
});

module.exports = app;
