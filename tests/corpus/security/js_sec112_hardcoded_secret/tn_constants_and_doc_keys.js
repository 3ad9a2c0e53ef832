// Enumerations whose value spells their name, and documentation showing a key's shape.
const CORS_MODES = {
  USE_CREDENTIALS: 'use-credentials',
  ANONYMOUS: 'anonymous',
};

const PASSWORD_RESET = 'password-reset';

const keyHelp = `
  Values should be in PEM format with newlines replaced by "\\n", for example:
  key="-----BEGIN PRIVATE KEY-----\\nXXXX\\nXXXX\\n-----END PRIVATE KEY-----"
`;

module.exports = { CORS_MODES, PASSWORD_RESET, keyHelp };

// An editor's syntax-highlighting rules: `token` names a style class.
const highlightRules = {
  start: [
    { token: 'comment.doc.tag', regex: '@[\\w\\d_]+' },
    { token: 'constant.language.escape', regex: '\\\\[nrt]' },
  ],
};
module.exports.highlightRules = highlightRules;
