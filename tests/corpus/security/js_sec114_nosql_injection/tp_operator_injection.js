const express = require('express');
const mongoose = require('mongoose');

const User = mongoose.model('User', new mongoose.Schema({ username: String, password: String }));
const router = express.Router();

router.post('/login', async (req, res) => {
  const { username, password } = req.body;
  const user = await User.findOne({ username, password }); // expect: SEC114
  if (!user) return res.status(401).end();
  res.json({ id: user.id });
});

router.get('/users', async (req, res) => {
  const users = await User.find(req.query); // expect: SEC114
  res.json(users);
});

router.post('/reset', async (req, res) => {
  await db.collection('tokens').deleteOne({ token: req.body.token }); // expect: SEC114
  res.sendStatus(204);
});

router.get('/search', async (req, res) => {
  const docs = await db.collection('posts').find({ // expect: SEC114
    $where: `this.title.includes('${req.query.q}')`,
  }).toArray();
  res.json(docs);
});

module.exports = router;
