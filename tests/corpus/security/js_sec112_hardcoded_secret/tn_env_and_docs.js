const mongoose = require('mongoose');

mongoose.connect(`mongodb://${process.env.DB_USER}:${process.env.DB_PASS}@db:27017/app`);
mongoose.connect('mongodb://localhost:27017/app');
const docs = 'postgres://user:password@localhost:5432/db';
const example = 'https://user:changeme@example.com/';

const client = {
  user: 'app',
  password: process.env.PGPASSWORD,
};

module.exports = { docs, example, client };
