const crypto = require('crypto');

function jitter(ms) {
  return ms + Math.floor(Math.random() * 250);
}

function shuffle(items) {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function newSessionToken() {
  return crypto.randomBytes(32).toString('hex');
}

const colour = `hsl(${Math.round(Math.random() * 360)}, 70%, 50%)`;

module.exports = { jitter, shuffle, newSessionToken, colour };
