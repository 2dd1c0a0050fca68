import { defineConfig } from 'vitest/config';

// Browser tests: Debian's Chromium, driven by playwright-core, against the
// real orgtrail binary (bin/orgtrail, built by `make build`) and its own
// throwaway PostgreSQL. One server serves every test file, one at a time.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['./e2e/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    // expect.poll waits as long as a page does (waitLimit in e2e/browser.ts):
    // its default second is too short on CI's two shared cores.
    expect: { poll: { timeout: 20_000 } },
    hookTimeout: 180_000,
  },
});
