const https = require('https');
const fs = require('fs');

const agent = new https.Agent({
  rejectUnauthorized: true,
  ca: fs.readFileSync('/etc/ssl/internal-ca.pem'),
});

const devOnly = new https.Agent({
  rejectUnauthorized: process.env.NODE_ENV === 'production',
});

process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';

function isVerified(options) {
  return options.rejectUnauthorized !== false;
}

module.exports = { agent, devOnly, isVerified };
