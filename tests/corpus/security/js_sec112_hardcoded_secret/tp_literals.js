const Stripe = require('stripe');
const jwt = require('jsonwebtoken');

const stripe = Stripe('sk_live_4eC39HqLyjWDarjtT1zdp7dc'); // expect: SEC112

const config = {
  dbPassword: 'Tr0ub4dor&3xQ9!', // expect: SEC112
  port: 5432,
};

const JWT_SECRET = 'f9a8e7b6c5d4e3f2a1b0c9d8e7f6a5b4'; // expect: SEC112

function sign(user) {
  return jwt.sign({ id: user.id }, JWT_SECRET);
}

const aws = { accessKeyId: 'AKIAIOSFODNN7QWERTYU' }; // expect: SEC112

let apiKey;
apiKey = 'a1b2c3d4e5f6g7h8i9j0k1l2'; // expect: SEC112

module.exports = { stripe, config, sign, aws, apiKey };
