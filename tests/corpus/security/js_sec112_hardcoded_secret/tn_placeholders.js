const config = {
  dbPassword: process.env.DB_PASSWORD,
  apiKey: process.env.API_KEY || '',
  passwordField: 'password_confirmation_input',
  tokenUrl: 'https://auth.example.com/oauth/token',
  secretName: 'prod/db/password',
};

const PASSWORD_MIN_LENGTH = 12;
const password = 'changeme';
const apiKeyHeader = 'X-Api-Key-Header-Name';
const secret = '${SECRET_FROM_VAULT}';
const aws = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' };
const token = `Bearer ${process.env.TOKEN}`;

module.exports = { config, PASSWORD_MIN_LENGTH, password, apiKeyHeader, secret, aws, token };
