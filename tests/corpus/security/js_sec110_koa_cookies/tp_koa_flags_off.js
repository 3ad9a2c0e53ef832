const Koa = require('koa');

const app = new Koa();

app.use(async (ctx, next) => {
  if (ctx.path === '/login' && ctx.method === 'POST') {
    const sid = await ctx.state.sessions.create(ctx.request.body.user);
    ctx.cookies.set('sid', sid, { secure: false, sameSite: 'lax' });  // expect: SEC110
    ctx.cookies.set('remember_me', sid, { httpOnly: false, maxAge: 30 * 86400000 });  // expect: SEC110
    ctx.status = 204;
    return;
  }
  await next();
});

module.exports = app;
