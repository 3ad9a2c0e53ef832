const express = require('express');
const serialize = require('node-serialize');
const { unserialize } = require('node-serialize');

const app = express();

app.get('/profile', (req, res) => {
  const raw = Buffer.from(req.cookies.profile, 'base64').toString();
  const profile = serialize.unserialize(raw); // expect: SEC113
  res.json(profile);
});

function restore(blob) {
  return unserialize(blob); // expect: SEC113
}

module.exports = { app, restore };
