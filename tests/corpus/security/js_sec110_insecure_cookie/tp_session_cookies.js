const express = require('express');
const app = express();

app.post('/login', (req, res) => {
  const token = issueToken(req.body.user);
  res.cookie('session', token); // expect: SEC110
  res.cookie('auth_token', token, { httpOnly: true }); // expect: SEC110
  res.cookie('remember_me', token, { secure: true, maxAge: 86400000 }); // expect: SEC110
  res.cookie('sid', token, { secure: false, httpOnly: true }); // expect: SEC110
  res.sendStatus(204);
});

function issueToken(user) {
  return Buffer.from(String(user)).toString('base64');
}

module.exports = app;
