const crypto = require('crypto');

function signUrl(path, secret) {
  const sig = crypto.createHash('sha1').update(secret + path).digest('hex');  // expect: SEC108
  return `${path}?sig=${sig}`;
}

class ApiKeys {
  store(key) {
    const hashed = crypto.createHash('md5').update(key).digest('base64');  // expect: SEC108
    return this.db.insert({ hashed });
  }
}

module.exports = { signUrl, ApiKeys };
