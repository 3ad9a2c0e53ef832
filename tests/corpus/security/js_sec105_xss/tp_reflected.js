const express = require('express');
const app = express();

app.get('/hello', (req, res) => {
  const name = req.query.name || 'guest';
  res.send(`<h1>Hello ${name}</h1>`); // expect: SEC105
});

app.get('/search', (req, res) => {
  res.write('<p>Results for ' + req.query.q + '</p>'); // expect: SEC105
  res.end();
});

app.use((err, req, res, next) => {
  res.status(500).send('Error on ' + req.originalUrl); // expect: SEC105
});

module.exports = app;
