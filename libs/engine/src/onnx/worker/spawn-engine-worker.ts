import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * The bootstrap the engine process runs before the engine's entry. It maps @zhibing/* like the
 * caller (compiled dist/ or sources) and, when the caller runs from TypeScript sources (Jest),
 * installs a require hook that transpiles .ts files (no type check: the caller's build did that).
 */
const BOOTSTRAP = `
const { root, entry, typescript, tsconfigPaths } = JSON.parse(process.argv[1]);
if (entry.endsWith('.ts')) {
  const fs = require('node:fs');
  const ts = require(typescript);
  const compilerOptions = {
    module: ts.ModuleKind.Node16, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
    experimentalDecorators: true, emitDecoratorMetadata: true, inlineSourceMap: true,
  };
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    module._compile(ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText, filename);
  };
}
require(tsconfigPaths).register({
  baseUrl: root,
  paths: { '@zhibing/kernels': ['kernels/src'], '@zhibing/*': ['libs/*/src'] },
});
require(entry);
`;

/**
 * Starts the engine's own process, with an IPC channel (structured-clone serialization, so typed
 * arrays and nested events cross as they are). A process, not a worker thread: terminating a
 * worker thread while onnxruntime-node runs aborts the whole host process ("terminate called after
 * throwing an instance of 'Napi::Error'"), and a native crash or out-of-memory in the engine
 * must not take the gateway with it. Works from compiled output (dist/) and from sources (Jest).
 */
export function spawnEngineWorker(): ChildProcess {
  const extension = path.extname(__filename);
  // This file sits at <root>/libs/engine/src/onnx/worker/, where <root> is the repo or dist/.
  const root = path.resolve(__dirname, '..', '..', '..', '..', '..');
  const bootstrap = {
    root,
    entry: path.join(__dirname, `engine-worker.main${extension}`),
    typescript: extension === '.ts' ? require.resolve('typescript') : '',
    tsconfigPaths: require.resolve('tsconfig-paths'),
  };
  return spawn(process.execPath, ['-e', BOOTSTRAP, JSON.stringify(bootstrap)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
}
