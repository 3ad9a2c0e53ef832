const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const UPLOADS = path.join(__dirname, 'uploads');

app.get('/files/:name', (req, res) => {
  const file = path.join(UPLOADS, path.basename(req.params.name));
  fs.readFile(file, (err, data) => (err ? res.sendStatus(404) : res.send(data)));
});

app.get('/docs/:page', (req, res) => {
  // send refuses '..' below the root it is given.
  res.sendFile(req.params.page, { root: path.join(__dirname, 'docs') });
});

app.get('/reports', (req, res) => {
  const target = path.resolve(UPLOADS, req.query.file);
  if (!target.startsWith(UPLOADS + path.sep)) return res.sendStatus(403);
  fs.createReadStream(target).pipe(res);
});

app.get('/config', (req, res) => {
  const cfg = fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8');
  res.json(JSON.parse(cfg));
});

// A command-line tool reads the file its user names: not a traversal.
const input = process.argv[2];
const text = fs.readFileSync(input, 'utf8');

app.get('/page/:n', (req, res) => {
  const n = parseInt(req.params.n, 10);
  res.sendFile(path.join(__dirname, 'pages', `${n}.html`));
});

module.exports = { app, text };
