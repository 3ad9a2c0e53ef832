const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();

router.get('/search', async (ctx) => {
  const q = ctx.query.q || '';
  ctx.type = 'html';
  ctx.body = `<h1>Results for ${q}</h1>`;  // expect: SEC105
});

app.use(router.routes());
module.exports = app;
