/** `npm run test:faults`: the fault suite (backend/test/faults/README.md). Each case starts its own
 *  PostgreSQL, Redis and Kairos processes and breaks one of them, so the cases run one at a time and are
 *  kept out of the default jest run (their files end in .fault-spec.ts). */
const base = require('../../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../../..',
  roots: ['<rootDir>/backend/test/faults'],
  testMatch: ['**/*.fault-spec.ts'],
  globalSetup: '<rootDir>/backend/test/faults/global-setup.ts',
  globalTeardown: '<rootDir>/backend/test/faults/global-teardown.ts',
  testTimeout: 150000,
  maxWorkers: 1,
};
