const express = require('express');
const db = require('./db');

const router = express.Router();

router.get('/products', async (req, res) => {
  const { minPrice, sort, dir } = req.query;
  const rows = await db('products')
    .where('active', true)
    .andWhereRaw('price >= ' + minPrice)  // expect: SEC103
    .orderByRaw(`${sort} ${dir}`);  // expect: SEC103
  res.json(rows);
});

router.get('/orders/:customer', async (req, res) => {
  const join = `LEFT JOIN invoices i ON i.order_id = o.id AND i.region = '${req.params.customer}'`;
  const rows = await db('orders as o').joinRaw(join);  // expect: SEC103
  res.json(rows);
});

module.exports = router;
