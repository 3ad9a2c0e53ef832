const { PrismaClient } = require('@prisma/client');
const mysql = require('mysql2/promise');

const prisma = new PrismaClient();

async function findUserByEmail(email) {
  return prisma.$queryRawUnsafe(`SELECT * FROM "User" WHERE email = '${email}'`);  // expect: SEC103
}

async function deleteSessions(conn, userId) {
  await conn.execute('DELETE FROM sessions WHERE user_id = ' + userId);  // expect: SEC103
}

module.exports = { findUserByEmail, deleteSessions, mysql };
