const express = require('express');
const db = require('./db');

const router = express.Router();
const SORTABLE = { price: 'price', name: 'name', created: 'created_at' };

router.get('/products', async (req, res) => {
  const column = SORTABLE[req.query.sort] ? 'created_at' : 'name';
  const rows = await db('products')
    .whereRaw('price >= ?', [Number(req.query.minPrice)])
    .andWhereRaw('name ILIKE ?', [`%${req.query.q}%`])
    .orderByRaw('?? DESC', [column]);
  res.json(rows);
});

router.get('/stats', async (req, res) => {
  const days = parseInt(req.query.days, 10) || 7;
  const rows = await db('events').whereRaw(`created_at > now() - interval '${days} days'`);
  res.json(rows);
});

function scoped(query, clause) {
  return query.whereRaw(clause);
}

module.exports = { router, scoped };
