const express = require('express');
const mysql = require('mysql');

const db = mysql.createPool({ host: 'db', user: 'app', database: 'shop' });
const router = express.Router();

function productsInCategory(category, cb) {
  db.query(`SELECT id, name, price FROM products WHERE category = '${category}'`, cb);  // expect: SEC103
}

router.get('/products', (req, res) => {
  productsInCategory(req.query.category, (err, rows) => {
    if (err) return res.status(500).end();
    res.json(rows);
  });
});

module.exports = router;
