const request = require('request');

function fetchLegacy(url, cb) {
  request({ url, json: true, strictSSL: false }, cb);  // expect: SEC111
}

module.exports = { fetchLegacy };
