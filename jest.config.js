/** One Jest config for unit specs (next to the code) and e2e specs (under test/). */
module.exports = {
  rootDir: __dirname,
  testEnvironment: '<rootDir>/test/support/node-typed-array-environment.js',
  testMatch: ['<rootDir>/{apps,libs,kernels,test}/**/*.{spec,e2e-spec}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true, diagnostics: false }],
  },
  moduleNameMapper: {
    '^@zhibing/kernels$': '<rootDir>/kernels/src',
    '^@zhibing/([a-z-]+)$': '<rootDir>/libs/$1/src',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  maxWorkers: 2,
};
