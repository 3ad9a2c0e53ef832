import express from 'express';
import { readFile } from 'fs/promises';
import { join } from 'path';

const router = express.Router();
const INVOICES = '/srv/invoices';

router.get('/invoices/:id', async (req, res) => {
  const pdf = await readFile(join(INVOICES, `${req.params.id}.pdf`));  // expect: SEC104
  res.type('application/pdf').send(pdf);
});

export default router;
