function createSessionId() {
  return Date.now().toString(36) + Math.random().toString(36).substring(2);  // expect: SEC109
}

const resetCode = Math.floor(100000 + Math.random() * 900000);  // expect: SEC109

class InviteService {
  newInvite(email) {
    const inviteToken = [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');  // expect: SEC109
    return { email, inviteToken };
  }
}

module.exports = { createSessionId, resetCode, InviteService };
