#!/usr/bin/env node
const { execSync } = require('child_process');

const branch = process.argv[2];
if (!branch) {
  console.error('usage: deploy <branch>');
  process.exit(1);
}
execSync(`git fetch origin && git checkout ${branch} && npm ci`, { stdio: 'inherit' });  // expect: SEC102
