import type { Command } from 'commander';
import { buildModelFolder, PRESETS, type PresetName } from '@zhibing/kernels';
import { ZhibingError } from '@zhibing/protocol';

export function registerModelCommand(program: Command): void {
  const model = program.command('model').description('Model folders for the onnx engine');
  model
    .command('build')
    .description('Write a runnable seeded model folder (config.json, model.onnx, tokenizer.json) from a preset')
    .requiredOption('--preset <name>', Object.keys(PRESETS).join(' or '))
    .requiredOption('--out <dir>', 'folder to write')
    .option('--seed <n>', 'weights seed (same seed, same bytes)', '7')
    .option('--weights <files...>', 'real weights: .safetensors shards with Hugging Face GLM names, for the preset\'s architecture')
    .option('--external-data', 'write the weights to model.onnx.data beside the graph (models over 2 GB)')
    .option('--graph <kind>', 'naive (standard ops) or fused (onnxruntime com.microsoft ops)', 'naive')
    .action((options: { preset: string; out: string; seed: string; weights?: string[]; externalData?: boolean; graph: string }) => {
      if (options.graph !== 'naive' && options.graph !== 'fused') throw new ZhibingError('graph_invalid', '--graph must be naive or fused');
      if (!(options.preset in PRESETS)) throw new ZhibingError('preset_invalid', `--preset must be one of ${Object.keys(PRESETS).join(', ')}`);
      const seed = Number.parseInt(options.seed, 10);
      if (!Number.isInteger(seed)) throw new ZhibingError('seed_invalid', '--seed must be a whole number');
      for (const file of buildModelFolder({ preset: options.preset as PresetName, seed, out: options.out, weights: options.weights, externalData: options.externalData, graph: options.graph })) process.stdout.write(`${file}\n`);
    });
}
