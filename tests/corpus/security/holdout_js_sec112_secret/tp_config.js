const { Sequelize } = require('sequelize');

module.exports = {
  port: process.env.PORT || 3000,
  githubToken: 'ghp_8Kf3Lq9ZxR2mT7vN4wB6yC1dH5jP0sA3eU9g',  // expect: SEC112
  jwtSecret: 'c9F!r2Lq#8ZxVm4T',  // expect: SEC112
};

const sequelize = new Sequelize('postgres://orders:Pz7qW2kL9x@db.internal:5432/orders');  // expect: SEC112

module.exports.sequelize = sequelize;
