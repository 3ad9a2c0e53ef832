const express = require('express');

const router = express.Router();

router.post('/login', async (req, res) => {
  const session = await createSession(req.body.username, req.body.password);
  res.cookie('sid', session.id, { maxAge: 86400000 });  // expect: SEC110
  res.cookie('refresh_token', session.refreshToken, { httpOnly: true, sameSite: 'strict' });  // expect: SEC110
  res.json({ ok: true });
});

async function createSession(user) {
  return { id: user, refreshToken: user };
}

module.exports = router;
