const https = require('https');
const axios = require('axios');
const request = require('request');

process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // expect: SEC111

const agent = new https.Agent({ rejectUnauthorized: false }); // expect: SEC111

async function fetchInternal(url) {
  return axios.get(url, {
    httpsAgent: new https.Agent({
      keepAlive: true,
      rejectUnauthorized: false, // expect: SEC111
    }),
  });
}

request({ url: 'https://10.0.0.5/api', strictSSL: false }, () => {}); // expect: SEC111

const tlsOptions = { host: 'db.internal', port: 5432, 'rejectUnauthorized': false }; // expect: SEC111

module.exports = { agent, fetchInternal, tlsOptions };
