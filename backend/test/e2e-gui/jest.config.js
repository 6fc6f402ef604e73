/** `npm run test:gui`: the GUI end to end, Chromium (playwright-core) against the real app and PostgreSQL.
 *  Kept out of the default jest run (its files end in .gui-spec.ts): it needs the built GUI and a browser. */
const base = require('../../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../../..',
  roots: ['<rootDir>/backend/test/e2e-gui'],
  testMatch: ['**/*.gui-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
