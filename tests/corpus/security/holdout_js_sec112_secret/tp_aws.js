const { S3Client } = require('@aws-sdk/client-s3');

const s3 = new S3Client({
  region: 'eu-central-1',
  credentials: {
    accessKeyId: 'AKIAQ3EGTW7ZL5PXN2RK',  // expect: SEC112
    secretAccessKey: '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',  // expect: SEC112
  },
});

module.exports = s3;
