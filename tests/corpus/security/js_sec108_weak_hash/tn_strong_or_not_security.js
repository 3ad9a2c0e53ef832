const crypto = require('crypto');
const { createHash } = require('node:crypto');

function hashToken(token) {
  return crypto.createHash('sha256').update(token).digest('hex');
}

function etagFor(body) {
  const etag = crypto.createHash('md5').update(body).digest('hex');
  return `"${etag}"`;
}

function cacheKey(url) {
  return createHash('sha1').update(url).digest('hex');
}

const checksum = crypto.createHash('md5').update('static content').digest('hex');
const hmac = crypto.createHmac('sha1', process.env.WEBHOOK_SECRET);

function digest(algorithm, data) {
  return crypto.createHash(algorithm).update(data).digest();
}

module.exports = { hashToken, etagFor, cacheKey, checksum, hmac, digest };
