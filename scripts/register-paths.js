// Resolves @zhibing/* imports in the compiled output (tsc keeps the aliases as written).
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const dist = path.join(__dirname, '..', 'dist');
tsconfigPaths.register({
  baseUrl: dist,
  paths: { '@zhibing/kernels': ['kernels/src'], '@zhibing/*': ['libs/*/src'] },
});
