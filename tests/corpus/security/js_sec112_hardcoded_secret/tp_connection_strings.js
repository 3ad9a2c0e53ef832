const mongoose = require('mongoose');
const { Client } = require('pg');

mongoose.connect('mongodb://admin:Xk9fQ2mZ7pL@db.internal:27017/app'); // expect: SEC112

const client = new Client({
  host: 'db.internal',
  user: 'app',
  password: 'q8R!vN3zL0wT', // expect: SEC112
});

module.exports = { client };
