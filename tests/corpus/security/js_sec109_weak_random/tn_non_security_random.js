const crypto = require('crypto');

function jitter(ms) {
  const delay = ms + Math.random() * 100;
  return delay;
}

function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function generateResetToken() {
  return crypto.randomBytes(32).toString('hex');
}

const color = `hsl(${Math.random() * 360}, 70%, 50%)`;
const sampleRate = { probability: Math.random() < 0.1 };

module.exports = { jitter, shuffle, generateResetToken, color, sampleRate };
