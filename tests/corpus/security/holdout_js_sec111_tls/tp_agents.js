const axios = require('axios');
const https = require('https');
const tls = require('tls');

const client = axios.create({
  baseURL: 'https://inventory.internal.example.com',
  httpsAgent: new https.Agent({ rejectUnauthorized: false }),  // expect: SEC111
});

function connectBroker(host) {
  return tls.connect({ host, port: 8883, rejectUnauthorized: false });  // expect: SEC111
}

process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';  // expect: SEC111

module.exports = { client, connectBroker };
