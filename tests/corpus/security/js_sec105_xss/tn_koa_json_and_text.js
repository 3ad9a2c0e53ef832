const Koa = require('koa');
const escapeHtml = require('escape-html');
const app = new Koa();

app.use(async (ctx) => {
  ctx.body = { name: ctx.query.name };
});

app.use(async (ctx) => {
  ctx.body = `<p>${escapeHtml(ctx.query.name)}</p>`;
});

function renderSearchTerm() {
  const term = new URLSearchParams(location.search).get('q');
  $('#search-term').text(term);
  $('#count').html('<b>' + document.querySelectorAll('.hit').length + '</b>');
}

module.exports = { app, renderSearchTerm };
