const express = require('express');
const { QueryTypes } = require('sequelize');
const { sequelize } = require('./db');

const router = express.Router();

router.get('/invoices', async (req, res) => {
  const rows = await sequelize.query(  // expect: SEC103
    `SELECT * FROM invoices WHERE customer_id = ${req.query.customer} AND status = '${req.query.status}'`,
    { type: QueryTypes.SELECT },
  );
  res.json(rows);
});

router.get('/invoices/safe', async (req, res) => {
  const rows = await sequelize.query('SELECT * FROM invoices WHERE customer_id = :customer', {
    replacements: { customer: req.query.customer },
    type: QueryTypes.SELECT,
  });
  res.json(rows);
});

module.exports = router;
