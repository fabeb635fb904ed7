import type { Command } from 'commander';
import { buildModelFolder, PRESETS, type PresetName } from '@zhibing/kernels';
import { ZhibingError } from '@zhibing/protocol';

interface BuildOptions {
  preset?: string;
  fromHf?: string;
  out: string;
  seed: string;
  externalData?: boolean;
  graph?: string;
  dtype: string;
  quantize?: string;
}

export function registerModelCommand(program: Command): void {
  const model = program.command('model').description('Model folders for the onnx engine');
  model
    .command('build')
    .description('Write a runnable model folder (config.json, model.onnx, tokenizer) from a checkpoint or a preset')
    .option('--from-hf <dir>', 'a Hugging Face GLM checkpoint (glm, glm4, glm4_moe): config, safetensors, tokenizer')
    .option('--preset <name>', `a seeded test model: ${Object.keys(PRESETS).join(' or ')}`)
    .requiredOption('--out <dir>', 'folder to write')
    .option('--seed <n>', 'weights seed for --preset (same seed, same bytes)', '7')
    .option('--external-data', 'write the weights to model.onnx.data beside the graph (always so with --from-hf)')
    .option(
      '--graph <kind>',
      'fused (onnxruntime com.microsoft ops: GroupQueryAttention, MoE; the default, 1-D positions) or naive ' +
        '(standard ops; what GLM 2-D blank-infilling positions need, and the fallback where fused cannot build)',
    )
    .option('--dtype <type>', 'fp32, or fp16: weights stored as float16 (half the size), computed in float32', 'fp32')
    .option(
      '--quantize <bits>',
      'int4 or int8: linear projections and experts as MatMulNBits / QMoE (blocks of 32); embedding, norms, router stay float',
    )
    .action((options: BuildOptions) => {
      const invalid = (code: string, message: string) => new ZhibingError(code, message);
      if (options.graph !== undefined && !['naive', 'fused'].includes(options.graph))
        throw invalid('graph_invalid', '--graph must be naive or fused');
      if (options.dtype !== 'fp32' && options.dtype !== 'fp16')
        throw invalid('dtype_invalid', '--dtype must be fp32 or fp16');
      if (options.quantize !== undefined && options.quantize !== 'int4' && options.quantize !== 'int8') {
        throw invalid('quantize_invalid', '--quantize must be int4 or int8');
      }
      if (!options.fromHf === !options.preset) {
        throw invalid('model_source_invalid', 'give exactly one of --from-hf <dir> or --preset <name>');
      }
      if (options.preset && !(options.preset in PRESETS)) {
        throw invalid('preset_invalid', `--preset must be one of ${Object.keys(PRESETS).join(', ')}`);
      }
      const seed = Number.parseInt(options.seed, 10);
      if (!Number.isInteger(seed)) throw new ZhibingError('seed_invalid', '--seed must be a whole number');
      const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
      const build = (graph: 'naive' | 'fused') =>
        buildModelFolder({
          fromHf: options.fromHf,
          preset: options.preset as PresetName | undefined,
          seed,
          out: options.out,
          externalData: options.externalData,
          graph,
          dtype: options.dtype as 'fp32' | 'fp16',
          quantize: options.quantize as 'int4' | 'int8' | undefined,
          onWarning: warn,
        });
      let files: string[];
      try {
        files = options.graph ? build(options.graph as 'naive' | 'fused') : buildPreferringFused(build, warn);
      } catch (error) {
        throw new ZhibingError('model_invalid', (error as Error).message, undefined, { cause: error });
      }
      for (const file of files) process.stdout.write(`${file}\n`);
    });
}

/**
 * The default graph: fused (GroupQueryAttention and MoE compute only the chosen experts: the
 * faster engine), built with 1-D positions for presets. Where the fused graph cannot express the
 * architecture (its rotary caches need a rotary dimension that is a multiple of 16), the naive
 * graph is built instead, and the warning says so.
 */
function buildPreferringFused(
  build: (graph: 'naive' | 'fused') => string[],
  warn: (message: string) => void,
): string[] {
  try {
    return build('fused');
  } catch (error) {
    const message = (error as Error).message;
    if (!message.includes('use the naive graph')) throw error;
    warn(`${message} — building the naive graph`);
    return build('naive');
  }
}
