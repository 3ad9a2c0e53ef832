const defaults = {
  apiKey: '<YOUR_API_KEY>',
  password: '',
  tokenEndpoint: 'https://auth.example.com/oauth/token',
};

module.exports = defaults;
