const { execFile, spawn, exec } = require('child_process');
const { promisify } = require('util');
const express = require('express');

const execFileAsync = promisify(execFile);
const router = express.Router();

router.get('/log', async (req, res) => {
  const { stdout } = await execFileAsync('git', ['log', '--oneline', '--', req.query.file]);
  res.type('text/plain').send(stdout);
});

router.get('/ping', (req, res) => {
  const child = spawn('ping', ['-c', '1', req.query.host]);
  child.stdout.pipe(res);
});

function diskFree(cb) {
  exec('df -h /', cb);
}

module.exports = { router, diskFree };
