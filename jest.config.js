/** @type {import('jest').Config} */
const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: {
    '^@snapex/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
    '^@snapex/(contracts|bus|config|logging|aws|engines|parquet|service|telemetry|export-restore)$':
      '<rootDir>/libs/$1/src',
    '^uuid$': '<rootDir>/test/support/uuid-unavailable.js',
  },
  rootDir: __dirname,
};

module.exports = {
  testTimeout: 300_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  ],
};
