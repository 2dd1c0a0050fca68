// ESLint for the SPA (src/) and its browser tests (e2e/); `npm run lint` runs it after `tsc -b`.
// Undefined names are tsc's to catch (typescript-eslint turns no-undef off), so no globals are listed.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Generated GraphQL documents (npm run codegen), build and test output.
  globalIgnores(['src/gql/', 'dist/', 'test-results/', 'playwright-report/', 'coverage/']),
  {
    files: ['**/*.{js,ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // `const { omitted: _, ...rest } = obj` is how a key is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      // A missing dependency is a stale value waiting to happen: an error, not a warning.
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
