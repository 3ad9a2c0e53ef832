const express = require('express');
const mongoose = require('mongoose');

const User = mongoose.model('User');
const router = express.Router();

router.post('/login', async (req, res) => {
  const username = String(req.body.username);
  const password = `${req.body.password}`;
  const user = await User.findOne({ username, password });
  res.json({ ok: Boolean(user) });
});

router.get('/users/:id', async (req, res) => {
  res.json(await User.findById(req.params.id));
});

router.get('/page', async (req, res) => {
  const page = parseInt(req.query.page, 10) || 1;
  const docs = await User.find({ active: true }).skip((page - 1) * 20).limit(20);
  res.json(docs);
});

router.get('/tags', (req, res) => {
  const tags = ['a', 'b', 'c'];
  res.json(tags.find((t) => t === req.query.tag) || null);
});

router.get('/by-email', async (req, res) => {
  const email = req.query.email.toString().toLowerCase();
  res.json(await User.findOne({ email }));
});

module.exports = router;
