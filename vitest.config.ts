import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources: the packages' `@k8s-netsim/source` export condition points
// at src/, so a stale or missing dist/ never decides what is tested.
const conditions = ['@k8s-netsim/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@k8s-netsim/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // In CI also write a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results.json' },
  },
});
