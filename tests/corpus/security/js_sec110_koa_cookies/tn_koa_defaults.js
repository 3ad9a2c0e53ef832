const Koa = require('koa');

const app = new Koa();

app.use(async (ctx, next) => {
  if (ctx.path === '/login' && ctx.method === 'POST') {
    const sid = await ctx.state.sessions.create(ctx.request.body.user);
    ctx.cookies.set('sid', sid, { signed: true, sameSite: 'strict' });
    ctx.cookies.set('theme', ctx.request.body.theme, { httpOnly: false });
    ctx.cookies.set('session_hint', '1', { httpOnly: true, secure: true });
    ctx.status = 204;
    return;
  }
  await next();
});

module.exports = app;
