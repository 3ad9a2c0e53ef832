const express = require('express');
const { execFile, spawn, exec } = require('child_process');
const cp = require('child_process');

const app = express();
const ALLOWED = ['status', 'log', 'diff'];

app.get('/ping', (req, res) => {
  // No shell: the host is one argument of ping, never parsed as a command line.
  execFile('ping', ['-c', '1', req.query.host], (err, stdout) => res.send(stdout));
});

app.get('/git', (req, res) => {
  const sub = req.query.cmd;
  if (!ALLOWED.includes(sub)) return res.status(400).end();
  exec('git ' + sub, (err, stdout) => res.send(stdout));
});

app.get('/count', (req, res) => {
  const n = parseInt(req.query.n, 10);
  exec(`head -n ${n} app.log`, (err, stdout) => res.send(stdout));
});

app.get('/list', (req, res) => {
  const child = spawn('ls', ['-la', req.query.dir]);
  child.stdout.pipe(res);
});

const LOG_DIR = '/var/log/app';
cp.exec(`du -sh ${LOG_DIR}`, () => {});
cp.execSync('npm ci');

// A method named exec on something that is not child_process.
const pattern = /user-(\d+)/;
const match = pattern.exec(process.argv[2]);

module.exports = { app, match };
