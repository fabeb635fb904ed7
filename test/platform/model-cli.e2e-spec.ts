import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeOptimumExport, writeSeededCheckpoint } from '@zhibing/kernels';

const root = path.join(__dirname, '..', '..');

/** Runs the compiled CLI as `npm run cli` does. */
function cli(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-cli.js'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The `{"ids","logits"}` line `generate --ids … --json` prints last. */
const lastJson = (stdout: string) =>
  JSON.parse(stdout.trim().split('\n').pop()!) as { ids: number[]; logits: number[] };

describe('model build --quantize and generate --ids, as a user runs them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-model-cli-'));
  const checkpoint = path.join(dir, 'checkpoint');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeAll(() => writeSeededCheckpoint({ preset: 'tiny-moe', seed: 7, out: checkpoint }));

  it('builds an int8 fused folder from a checkpoint (QMoE experts) that generates from ids', () => {
    const out = path.join(dir, 'int8');
    const built = cli([
      'model',
      'build',
      '--from-hf',
      checkpoint,
      '--out',
      out,
      '--graph',
      'fused',
      '--quantize',
      'int8',
    ]);
    expect(built.status).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    expect(config.zhibing).toMatchObject({ quantize: 'int8', quantization: { bits: 8, block_size: 32 } });
    expect(config.zhibing.quantization.quantized).toContain('mlp.experts (QMoE)');
    const generated = cli(['generate', '--model', out, '--ids', '72,101,108', '--max-tokens', '4', '--json']);
    expect(generated.status).toBe(0);
    expect(lastJson(generated.stdout).ids).toHaveLength(4);
  });

  it('refuses a bit width it does not build, with a typed error and no folder', () => {
    const out = path.join(dir, 'int3');
    const refused = cli(['model', 'build', '--from-hf', checkpoint, '--out', out, '--quantize', 'int3']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('quantize_invalid');
    expect(fs.existsSync(out)).toBe(false);
  });

  it("generate --ids reads an Optimum export's onnx/ graph, by dtype too", () => {
    const exported = path.join(dir, 'export');
    writeOptimumExport({ fromHf: checkpoint, out: exported, dtypes: ['fp32', 'q4'] });
    const fp32 = cli(['generate', '--model', exported, '--ids', '72,101,108', '--max-tokens', '3', '--json']);
    expect(fp32.status).toBe(0);
    expect(lastJson(fp32.stdout).ids).toHaveLength(3);
    const q4 = cli(['generate', '--model', exported, '--ids', '72,101', '--max-tokens', '2', '--model-dtype', 'q4']);
    expect(q4.status).toBe(0);
    const wrong = cli(['generate', '--model', exported, '--ids', '72', '--model-dtype', 'q3']);
    expect(wrong.stderr).toContain('model_dtype_invalid');
  });
});
