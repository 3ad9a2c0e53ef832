async function sendVerificationCode(user, mailer) {
  const code = Math.floor(100000 + Math.random() * 900000); // expect: SEC109
  await mailer.send(user.email, `Your code is ${code}`);
  return code;
}

function makeCsrfToken() {
  let out = '';
  for (let i = 0; i < 32; i++) out += 'abcdef0123456789'[Math.floor(Math.random() * 16)]; // expect: SEC109
  return out;
}

module.exports = { sendVerificationCode, makeCsrfToken };
