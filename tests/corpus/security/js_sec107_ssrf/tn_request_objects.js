// `request` here is the program's own Request object, not an incoming HTTP request.
const { Request } = require('node-fetch');

async function follow(url, opts, fetchImpl) {
  const request = new Request(url, opts);
  const location = new URL(request.url).searchParams.get('next');
  return fetchImpl(location || request.url, { body: request.body });
}

module.exports = { follow };
