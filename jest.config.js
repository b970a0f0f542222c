/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // web/src holds the dashboard's component tests (jsdom, set per file) beside the components.
  roots: ['<rootDir>/tests', '<rootDir>/web/src'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', transform: { react: { runtime: 'automatic' } } } }] },
  testTimeout: 60_000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  setupFiles: ['<rootDir>/tests/support/env.ts'],
};
