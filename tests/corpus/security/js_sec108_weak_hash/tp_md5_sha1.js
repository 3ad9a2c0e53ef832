const crypto = require('crypto');

function hashPassword(password, salt) {
  return crypto.createHash('md5').update(salt + password).digest('hex'); // expect: SEC108
}

function signPayload(payload) {
  const signature = crypto.createHash('sha1').update(payload).digest('base64'); // expect: SEC108
  return { payload, signature };
}

const tokenDigest = (token) => crypto.createHash('MD5').update(token).digest('hex'); // expect: SEC108

module.exports = { hashPassword, signPayload, tokenDigest };
