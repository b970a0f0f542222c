/**
 * One jest project per test tier. `unit` needs no services (PGlite runs in-process); the others
 * run against the PostgreSQL, Redis and Kafka that `npm test` starts (scripts/test.sh).
 * `npm run test:unit` runs the unit tier alone; `npm test -- --selectProjects e2e` one tier.
 */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', transform: { react: { runtime: 'automatic' } } } }] },
  setupFiles: ['<rootDir>/tests/support/env.ts'],
};

/** A tier that uses the test services: every run starts on an empty test database. */
const withServices = (name) => ({
  ...shared,
  displayName: name,
  roots: [`<rootDir>/tests/${name}`],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
});

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  maxWorkers: 1,
  // One worker, replaced once a test file leaves it above this: a single process running every
  // file in turn kept each file's modules and grew past 4 GB, and slowed down as it grew.
  workerIdleMemoryLimit: '1GB',
  projects: [
    // web/src holds the dashboard's component tests (jsdom, set per file) beside the components.
    { ...shared, displayName: 'unit', roots: ['<rootDir>/tests/unit', '<rootDir>/web/src'] },
    withServices('integration'),
    withServices('e2e'),
    withServices('adversarial'),
    withServices('faults'),
  ],
};
