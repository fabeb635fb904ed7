// Jest runs each test file in its own vm context, whose Float32Array is not the one native
// addons (onnxruntime-node) check against. Sharing the host's typed-array and buffer globals
// makes tensors built in tests acceptable to the addon.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Uint8Array',
  'Int8Array',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'Uint8ClampedArray',
  'Buffer',
  'TextEncoder',
  'TextDecoder',
];

class NodeTypedArrayEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }
}

module.exports = NodeTypedArrayEnvironment;
