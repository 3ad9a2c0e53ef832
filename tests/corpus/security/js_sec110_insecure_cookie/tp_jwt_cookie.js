const jwt = require('jsonwebtoken');

function login(req, res) {
  const accessToken = jwt.sign({ sub: req.user.id }, process.env.JWT_KEY);
  res.cookie('access_token', accessToken, { httpOnly: true, secure: false, sameSite: 'lax' }); // expect: SEC110
  res.json({ ok: true });
}

module.exports = { login };
