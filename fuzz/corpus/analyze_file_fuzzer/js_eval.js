Jconst express = require('express');
const app = express();
app.get('/', (req, res) => { eval(req.query.code); res.send(req.query.name); });
