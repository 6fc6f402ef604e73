/** Jest runs the server tests (backend/) and the benchmark's own (bench/); tiers are named by suffix:
 *  *.unit.spec.ts (pure, no I/O), *.int.spec.ts (real PostgreSQL / Redis), *.e2e.spec.ts (HTTP). */
module.exports = {
  rootDir: '.',
  roots: ['<rootDir>/backend', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/backend/test/global-setup.ts',
  globalTeardown: '<rootDir>/backend/test/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
