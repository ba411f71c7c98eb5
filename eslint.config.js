import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Each heavy dependency is imported by exactly one layer; everything else goes through that layer.
const onlyRuntimeImportsOrt = {
  paths: [
    { name: 'onnxruntime-web', message: 'Only src/runtime imports onnxruntime-web.' },
    { name: 'onnxruntime-web/webgpu', message: 'Only src/runtime imports onnxruntime-web.' },
    { name: 'onnxruntime-node', message: 'Only src/runtime imports onnxruntime-node.' },
  ],
};
const onlyStorageImportsIdb = { paths: [{ name: 'idb', message: 'Only src/storage imports idb.' }] };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'public/**',
      'coverage/**',
      '.venv/**',
      'tests/fixtures/**',
      'runs/**',
      '.vitest/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/runtime/**', 'src/storage/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...onlyRuntimeImportsOrt.paths, ...onlyStorageImportsIdb.paths] },
      ],
    },
  },
  {
    files: ['src/runtime/**'],
    rules: { 'no-restricted-imports': ['error', onlyStorageImportsIdb] },
  },
  {
    files: ['src/storage/**'],
    rules: { 'no-restricted-imports': ['error', onlyRuntimeImportsOrt] },
  },
  {
    // The UI renders state; it never reaches into the engine, runtime, training or storage layers.
    files: ['src/app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [...onlyRuntimeImportsOrt.paths, ...onlyStorageImportsIdb.paths],
          patterns: [
            {
              group: [
                '**/engine/**',
                '**/runtime/**',
                '**/storage/**',
                '**/train/**',
                // The Train area's own folder and the worker's train protocol types are UI-facing.
                '!./train/**',
                '!./areas/train/**',
                '!**/worker/train/**',
              ],
              message: 'UI code talks to the worker through src/app/client; it never imports these layers.',
            },
          ],
        },
      ],
    },
  },
);
