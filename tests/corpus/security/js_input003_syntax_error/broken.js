const express = require('express');
const app = express();

app.get('/', (req, res) => {
  res.send('ok';  // expect: INPUT003
});

module.exports = app;
