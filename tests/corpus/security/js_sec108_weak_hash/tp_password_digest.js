const crypto = require('crypto');

class UserService {
  verifyPassword(user, candidate) {
    const digest = crypto.createHash('sha1').update(user.salt + candidate).digest('hex'); // expect: SEC108
    return digest === user.passwordHash;
  }
}

module.exports = UserService;
