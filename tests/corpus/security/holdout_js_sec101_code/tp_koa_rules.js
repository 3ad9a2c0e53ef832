const Koa = require('koa');
const Router = require('@koa/router');
const vm = require('vm');

const app = new Koa();
const router = new Router();

router.post('/rules/evaluate', async (ctx) => {
  const { condition, order } = ctx.request.body;
  const matches = vm.runInNewContext(condition, { order });  // expect: SEC101
  ctx.body = { matches };
});

router.get('/format', async (ctx) => {
  const formatter = new Function('value', 'return ' + ctx.query.expr);  // expect: SEC101
  ctx.body = { out: formatter(42) };
});

app.use(router.routes());
module.exports = app;
