Jconst { exec } = require('child_process');
exec('ls ' + process.argv[2]);
import { exec as sh } from 'child_process';
sh(`rm ${process.env.X}`);
