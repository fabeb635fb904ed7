import type { Command } from 'commander';
import { createOnnxEngine, generateFromIds, MODEL_DTYPES, type ModelDtype } from '@zhibing/engine';
import { ZhibingError } from '@zhibing/protocol';

interface GenerateOptions {
  model: string;
  ids?: string;
  greedy?: boolean;
  json?: boolean;
  seed: string;
  maxTokens: string;
  temperature: string;
  topK: string;
  topP: string;
  device: string;
  modelFile?: string;
  modelDtype?: string;
}

/** "1,2,3" → [1, 2, 3]; anything else is a typed error. */
function parseIds(value: string): number[] {
  const ids = value.split(',').map((part) => Number(part.trim()));
  if (ids.length === 0 || ids.some((id) => !Number.isInteger(id) || id < 0)) {
    throw new ZhibingError('ids_invalid', '--ids must be token ids separated by commas, e.g. 1,2,3');
  }
  return ids;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Stream a completion of a prompt from a local model folder, or continue token ids greedily (--ids)')
    .requiredOption('--model <dir>', 'model folder (config.json, model.onnx, tokenizer.json)')
    .option('--ids <ids>', 'the prompt as token ids (e.g. 1,2,3): greedy, no tokenizer (checks against references)')
    .option('--greedy', 'greedy decoding (what --ids always does; same as --temperature 0 for text)')
    .option('--json', 'with --ids: print {"ids":[…],"logits":[…]} (continuation, last prompt position\'s logits)')
    .option('--seed <n>', 'sampling seed', '0')
    .option('--max-tokens <n>', 'most tokens to generate', '64')
    .option('--temperature <t>', '0 = greedy', '0.8')
    .option('--top-k <k>', '0 = off', '40')
    .option('--top-p <p>', 'nucleus', '0.95')
    .option('--device <device>', 'cpu or cuda', 'cpu')
    .option(
      '--model-file <file>',
      'the graph file in the folder (e.g. onnx/model_q4.onnx); default: as the engine picks',
    )
    .option('--model-dtype <dtype>', `an export's graph by dtype: ${Object.keys(MODEL_DTYPES).join(', ')}`)
    .argument('[prompt]', 'the prompt (control tokens like [MASK] and <sop> are honoured)')
    .action(async (prompt: string | undefined, options: GenerateOptions) => {
      const device = options.device === 'cuda' ? 'cuda' : 'cpu';
      const maxTokens = Number(options.maxTokens);
      if (!Number.isInteger(maxTokens) || maxTokens <= 0) {
        throw new ZhibingError('max_tokens_invalid', '--max-tokens must be a positive whole number');
      }
      if (options.modelDtype !== undefined && !(options.modelDtype in MODEL_DTYPES)) {
        throw new ZhibingError(
          'model_dtype_invalid',
          `--model-dtype must be one of ${Object.keys(MODEL_DTYPES).join(', ')}`,
        );
      }
      const graph = { modelFile: options.modelFile, modelDtype: options.modelDtype as ModelDtype | undefined };
      if ((options.ids === undefined) === (prompt === undefined)) {
        throw new ZhibingError('prompt_invalid', 'give a text prompt or --ids, not both');
      }
      if (options.ids !== undefined) {
        const ids = parseIds(options.ids);
        const result = await generateFromIds({ modelDir: options.model, ids, maxTokens, device, ...graph });
        process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${result.ids.join(',')}\n`);
        return;
      }
      const engine = await createOnnxEngine({ modelDir: options.model, device, ...graph });
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const temperature = options.greedy ? 0 : Number(options.temperature);
      try {
        for await (const event of engine.generate({
          prompt,
          signal: controller.signal,
          settings: {
            seed: Number(options.seed),
            maxTokens,
            temperature,
            topK: Number(options.topK),
            topP: Number(options.topP),
          },
        })) {
          if (event.type === 'delta') process.stdout.write(event.text);
          else {
            const { finishReason, usage, timings } = event;
            const first = `first token ${timings.firstTokenMs.toFixed(1)} ms`;
            process.stderr.write(
              `\n[${finishReason}: ${usage.completionTokens} tokens, ${first}, ${timings.totalMs.toFixed(1)} ms]\n`,
            );
          }
        }
      } finally {
        await engine.close();
      }
    });
}
