function generateResetToken() {
  return Math.random().toString(36).slice(2); // expect: SEC109
}

function createSession(user) {
  const sessionId = Math.random().toString(16).substring(2) + Date.now(); // expect: SEC109
  return { user, sessionId };
}

const user = {
  otp: Math.floor(100000 + Math.random() * 900000), // expect: SEC109
};

let apiKey;
apiKey = 'key_' + Math.random().toString(36); // expect: SEC109

module.exports = { generateResetToken, createSession, user, apiKey };
