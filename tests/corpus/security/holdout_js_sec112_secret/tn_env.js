const config = {
  port: Number(process.env.PORT || 3000),
  apiKey: process.env.API_KEY,
  jwtSecret: process.env.JWT_SECRET || '',
  passwordMinLength: 12,
  tokenHeader: 'X-Auth-Token',
  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost:5432/dev',
};

const PASSWORD_FIELD = 'password';

module.exports = { config, PASSWORD_FIELD };
