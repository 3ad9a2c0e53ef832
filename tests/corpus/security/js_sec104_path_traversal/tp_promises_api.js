const { readFile } = require('fs/promises');
const fs = require('fs');
const path = require('path');

async function serveTemplate(req, res) {
  const name = req.params.template;
  const html = await readFile(path.join(__dirname, 'templates', name), 'utf8'); // expect: SEC104
  res.type('html').send(html);
}

async function saveUpload(req, res) {
  const dest = path.join('/srv/uploads', req.body.filename);
  await fs.promises.writeFile(dest, req.body.content); // expect: SEC104
  res.sendStatus(201);
}

module.exports = { serveTemplate, saveUpload };
