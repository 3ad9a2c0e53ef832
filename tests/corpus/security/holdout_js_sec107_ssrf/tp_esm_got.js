import got from 'got';
import express from 'express';

const router = express.Router();

router.get('/avatar', async (req, res) => {
  const image = await got(req.query.src).buffer();  // expect: SEC107
  res.type('image/png').send(image);
});

export default router;
