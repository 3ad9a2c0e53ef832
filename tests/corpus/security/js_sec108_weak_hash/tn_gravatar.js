const crypto = require('crypto');

function gravatarUrl(email) {
  const hash = crypto.createHash('md5').update(email.trim().toLowerCase()).digest('hex');
  return `https://www.gravatar.com/avatar/${hash}`;
}

function contentFingerprint(buffer) {
  return crypto.createHash('md5').update(buffer).digest('hex').slice(0, 8);
}

module.exports = { gravatarUrl, contentFingerprint };
