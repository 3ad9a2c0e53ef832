const fs = require('fs');
const path = require('path');
const Router = require('@koa/router');

const router = new Router();

router.get('/assets', async (ctx) => {
  const file = path.join('/srv/assets', ctx.query.name);
  ctx.type = path.extname(file);
  ctx.body = fs.createReadStream(file);  // expect: SEC104
});

router.post('/notes', async (ctx) => {
  const { title, text } = ctx.request.body;
  fs.writeFileSync(path.join('/srv/notes', title + '.md'), text);  // expect: SEC104
  ctx.status = 201;
});

module.exports = router;
