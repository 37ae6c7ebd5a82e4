// Tests are TypeScript ESM compiled by swc (typescript@7 has no JS API for ts-jest);
// typechecking is `npm run typecheck`, not jest's job.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/packages/node-red-contrib-lambda-stream/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
