const util = require('util');
const express = require('express');
const execAsync = util.promisify(require('child_process').exec);

const router = express.Router();

router.post('/thumbnail', async (req, res) => {
  const { stdout } = await execAsync(`convert ${req.file.path} -resize 100x100 thumb.png`); // expect: SEC102
  res.send(stdout);
});

router.post('/deploy', async (req, res) => {
  const { branch } = req.body;
  await execAsync('git fetch && git checkout ' + branch); // expect: SEC102
  res.sendStatus(202);
});

module.exports = router;
