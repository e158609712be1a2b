// Two suites: fast unit specs beside each module, and end-to-end suites that
// build real images on a real engine (run them through `npm test`, which sets
// the engine up first).
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/packages/nx-docker-stages/tsconfig.spec.json', diagnostics: { warnOnly: false } }];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/packages/**/*.spec.ts'],
      modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/examples', '<rootDir>/e2e/fixtures', '<rootDir>/tmp'],
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/e2e/tsconfig.json' }] },
      testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
      globalSetup: '<rootDir>/e2e/support/global-setup.ts',
      modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/examples', '<rootDir>/e2e/fixtures', '<rootDir>/tmp'],
    },
  ],
};
