const fs = require('fs/promises');
const path = require('path');
const express = require('express');

const router = express.Router();
const REPORTS = path.join(__dirname, 'reports');

router.get('/reports/:name', async (req, res) => {
  const data = await fs.readFile(path.join(REPORTS, req.params.name), 'utf8');  // expect: SEC104
  res.type('text/csv').send(data);
});

router.delete('/reports', async (req, res) => {
  const target = `${REPORTS}/${req.query.file}`;
  await fs.unlink(target);  // expect: SEC104
  res.sendStatus(204);
});

router.get('/download', (req, res) => {
  res.download(path.resolve(REPORTS, req.query.path));  // expect: SEC104
});

module.exports = router;
