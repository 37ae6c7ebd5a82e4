// Tests are TypeScript ESM compiled by swc (typescript@7 has no JS API for ts-jest);
// typechecking is `npm run typecheck`, not jest's job.
// n8n 2.x runs on Node >= 22.16 only (isolated-vm), so the n8n end-to-end test is registered on the
// Node 24 lane only; the n8n node's unit tests run on both lanes.
const n8nEndToEnd =
  Number(process.versions.node.split('.')[0]) >= 24 ? [] : ['/n8n-nodes-lambda-stream/test/e2e/'];

export default {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/test',
    '<rootDir>/packages/node-red-contrib-lambda-stream/test',
    '<rootDir>/packages/n8n-nodes-lambda-stream/test',
  ],
  testPathIgnorePatterns: ['/node_modules/', ...n8nEndToEnd],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // n8n-workflow's ES build does not load in Node (extensionless imports); n8n itself requires its CommonJS build.
    '^n8n-workflow$': '<rootDir>/node_modules/n8n-workflow/dist/cjs/index.js',
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript' },
          target: 'es2022',
          experimental: { keepImportAttributes: true },
        },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
