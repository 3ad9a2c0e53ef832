const Router = require('@koa/router');

const router = new Router();

router.post('/login', async (ctx) => {
  const token = await ctx.state.auth.issue(ctx.request.body.username);
  ctx.cookies.set('auth_token', token, { httpOnly: false, secure: false });  // expect: SEC110
  ctx.body = { ok: true };
});

module.exports = router;
