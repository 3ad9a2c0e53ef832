const express = require('express');

const router = express.Router();

router.post('/reminders', (req, res) => {
  const { delayMs, action } = req.body;
  setTimeout('notify("' + action + '")', Number(delayMs));  // expect: SEC101
  res.status(202).json({ scheduled: true });
});

router.get('/template', (req, res) => {
  const tpl = req.query.tpl;
  const render = eval('`' + tpl + '`');  // expect: SEC101
  res.type('text/plain').send(String(render));
});

module.exports = router;
