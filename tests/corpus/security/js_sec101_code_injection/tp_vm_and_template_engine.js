const vm = require('node:vm');
const express = require('express');

const router = express.Router();

class ReportController {
  async preview(req, res) {
    const context = vm.createContext({ data: req.body.data });
    const script = new vm.Script(req.body.transform); // expect: SEC101
    res.json(script.runInContext(context));
  }

  filter(req, res) {
    const predicate = `item => ${req.query.where}`;
    const fn = vm.runInThisContext(predicate); // expect: SEC101
    res.json(this.items.filter(fn));
  }
}

router.post('/formula', (req, res) => {
  const { formula } = req.body;
  const sandbox = { Math };
  vm.runInContext(formula, vm.createContext(sandbox)); // expect: SEC101
  res.json(sandbox);
});

module.exports = { router, ReportController };
