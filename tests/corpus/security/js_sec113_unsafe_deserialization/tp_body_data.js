const express = require('express');
const nodeSerialize = require('node-serialize');

const router = express.Router();

router.post('/import', (req, res) => {
  const state = nodeSerialize.unserialize(req.body.state); // expect: SEC113
  res.json({ restored: Object.keys(state).length });
});

module.exports = router;
