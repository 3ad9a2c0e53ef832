const express = require('express');
const Router = require('@koa/router');

const router = express.Router();
const koaRouter = new Router();

router.post('/login', (req, res) => {
  const returnTo = req.body.returnTo || '/';
  res.redirect(302, returnTo);  // expect: SEC106
});

router.get('/out', (req, res) => {
  res.location(req.query.to);  // expect: SEC106
  res.sendStatus(302);
});

koaRouter.get('/sso/callback', async (ctx) => {
  ctx.redirect(ctx.query.redirect_uri);  // expect: SEC106
});

module.exports = { router, koaRouter };
