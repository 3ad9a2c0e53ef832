const express = require('express');

const router = express.Router();
const COOKIE_OPTS = { httpOnly: true, secure: true, sameSite: 'lax' };

router.post('/login', (req, res) => {
  res.cookie('session', req.sessionID, { httpOnly: true, secure: true, sameSite: 'lax' });
  res.cookie('theme', req.body.theme || 'light', { maxAge: 31536000000 });
  res.cookie('locale', 'en-GB');
  res.json({ ok: true });
});

module.exports = { router, COOKIE_OPTS };
