Jasync function f(req, db) { const q = `SELECT * FROM t WHERE id = ${req.params.id}`; return db.query(q); }
