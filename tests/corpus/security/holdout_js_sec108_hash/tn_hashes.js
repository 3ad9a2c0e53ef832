const crypto = require('crypto');

function etagFor(body) {
  const etag = crypto.createHash('md5').update(body).digest('hex');
  return `"${etag}"`;
}

function hashPassword(password, salt) {
  return crypto.scryptSync(password, salt, 64).toString('hex');
}

function signPayload(payload, key) {
  return crypto.createHmac('sha256', key).update(JSON.stringify(payload)).digest('hex');
}

function contentChecksum(buf) {
  const checksum = crypto.createHash('sha1').update(buf).digest('hex');
  return checksum;
}

module.exports = { etagFor, hashPassword, signPayload, contentChecksum };
