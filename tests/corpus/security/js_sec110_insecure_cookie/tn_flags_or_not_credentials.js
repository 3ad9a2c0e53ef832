const express = require('express');
const app = express();
const cookieOptions = { secure: true, httpOnly: true, sameSite: 'strict' };

app.post('/login', (req, res) => {
  const token = 'x';
  res.cookie('session', token, { secure: true, httpOnly: true, sameSite: 'lax' });
  res.cookie('jwt', token, cookieOptions);
  res.cookie('theme', req.body.theme);
  res.cookie('lang', 'en', { maxAge: 31536000000 });
  res.cookie('auth', token, {
    secure: process.env.NODE_ENV === 'production',
    httpOnly: true,
  });
  res.sendStatus(204);
});

module.exports = app;
