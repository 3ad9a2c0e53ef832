const express = require('express');
const serialize = require('node-serialize');
const cookieParser = require('cookie-parser');

const app = express();
app.use(cookieParser());

app.get('/dashboard', (req, res) => {
  const raw = Buffer.from(req.cookies.profile || '', 'base64').toString();
  const profile = serialize.unserialize(raw);  // expect: SEC113
  res.json({ name: profile.name });
});

module.exports = app;
