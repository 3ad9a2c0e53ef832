const express = require('express');
const cp = require('child_process');
const { exec, execSync } = require('child_process');
import { spawn } from 'node:child_process';

const app = express();

app.get('/ping', (req, res) => {
  const host = req.query.host;
  exec(`ping -c 1 ${host}`, (err, stdout) => { // expect: SEC102
    res.send(stdout);
  });
});

app.post('/convert', (req, res) => {
  const { file, format } = req.body;
  const cmd = 'convert ' + file + ' out.' + format;
  cp.execSync(cmd); // expect: SEC102
  res.sendStatus(200);
});

app.get('/grep', (req, res) => {
  const child = spawn('grep', [req.query.pattern, 'app.log'], { shell: true }); // expect: SEC102
  child.stdout.pipe(res);
});

app.get('/sh', (req, res) => {
  spawn('sh', ['-c', 'ls ' + req.query.dir]); // expect: SEC102
  res.end();
});

const target = process.argv[2];
const out = execSync('git log --oneline ' + target); // expect: SEC102

function archive(dir) {
  return require('child_process').execSync(`tar czf backup.tgz ${dir}`); // expect: SEC102
}

module.exports = { app, out, archive };
