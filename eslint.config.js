// Lint rules that fence the layers: the driver only in src/db, crypto only in federation/privacy.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const driverOnlyInDb = {
  paths: [{ name: 'neo4j-driver', message: 'Only src/db talks to Neo4j.' }],
};
const cryptoOnly = [
  { name: 'jose', message: 'Keys and crypto live in src/federation and src/privacy.' },
  {
    name: 'libsodium-wrappers-sumo',
    message: 'Keys and crypto live in src/federation and src/privacy.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'deploy/neo4j-launcher/target',
      'dist',
      'src/web/dist',
      'coverage',
      'src/bin/*.js',
      'deploy/*.mjs',
      'test/artifacts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/db/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...driverOnlyInDb.paths, ...cryptoOnly] }],
    },
  },
  {
    files: ['src/federation/**/*.ts', 'src/privacy/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', driverOnlyInDb] },
  },
  {
    files: ['src/cli.ts', 'src/cli/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
