function withRequestId(req, res, next) {
  req.requestId = Math.random().toString(36).slice(2, 10);
  res.set('X-Request-Id', req.requestId);
  next();
}

module.exports = { withRequestId };
