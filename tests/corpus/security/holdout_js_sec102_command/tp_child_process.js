const { exec, execSync, spawn } = require('child_process');
const express = require('express');

const router = express.Router();

router.post('/convert', (req, res) => {
  const { file, format } = req.body;
  exec(`libreoffice --headless --convert-to ${format} /uploads/${file}`, (err) => {  // expect: SEC102
    if (err) return res.status(500).end();
    res.json({ ok: true });
  });
});

router.get('/whois', (req, res) => {
  const out = execSync('whois ' + req.query.domain).toString();  // expect: SEC102
  res.type('text/plain').send(out);
});

router.get('/grep', (req, res) => {
  const child = spawn('grep', ['-rn', req.query.q, '/srv/docs'], { shell: true });  // expect: SEC102
  child.stdout.pipe(res);
});

module.exports = router;
