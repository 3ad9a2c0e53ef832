const Koa = require('koa');
const app = new Koa();

app.use(async (ctx) => {
  const name = ctx.query.name;
  ctx.body = `<html><body>Welcome, ${name}</body></html>`; // expect: SEC105
});

function renderSearchTerm() {
  const term = new URLSearchParams(location.search).get('q');
  $('#search-term').html(term); // expect: SEC105
}

module.exports = { app, renderSearchTerm };
