const express = require('express');
const fs = require('fs');
const path = require('path');
const fsp = require('fs/promises');

const app = express();
const UPLOADS = path.join(__dirname, 'uploads');

app.get('/files/:name', (req, res) => {
  const file = path.join(UPLOADS, req.params.name);
  fs.readFile(file, (err, data) => { // expect: SEC104
    if (err) return res.sendStatus(404);
    res.type('application/octet-stream').send(data);
  });
});

app.get('/download', (req, res) => {
  res.download(`${UPLOADS}/${req.query.file}`); // expect: SEC104
});

app.get('/avatar', (req, res) => {
  res.sendFile(path.resolve('public/avatars', req.query.user + '.png')); // expect: SEC104
});

app.delete('/files', async (req, res) => {
  const { name } = req.body;
  await fsp.unlink(path.join(UPLOADS, name)); // expect: SEC104
  res.sendStatus(204);
});

app.get('/stream', (req, res) => {
  fs.createReadStream('./reports/' + req.query.report).pipe(res); // expect: SEC104
});

module.exports = app;
