const fs = require('fs');
const https = require('https');

const agent = new https.Agent({
  ca: fs.readFileSync('/etc/ssl/internal-ca.pem'),
  rejectUnauthorized: true,
});

function get(url) {
  return new Promise((resolve, reject) => {
    https.get(url, { agent }, resolve).on('error', reject);
  });
}

module.exports = { get };
