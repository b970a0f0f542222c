/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60_000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  setupFiles: ['<rootDir>/tests/support/env.ts'],
};
