import type { Command } from 'commander';
import { createOnnxEngine } from '@zhibing/engine';

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Stream a completion of a prompt from a local model folder')
    .requiredOption('--model <dir>', 'model folder (config.json, model.onnx, tokenizer.json)')
    .option('--seed <n>', 'sampling seed', '0')
    .option('--max-tokens <n>', 'most tokens to generate', '64')
    .option('--temperature <t>', '0 = greedy', '0.8')
    .option('--top-k <k>', '0 = off', '40')
    .option('--top-p <p>', 'nucleus', '0.95')
    .option('--device <device>', 'cpu or cuda', 'cpu')
    .argument('<prompt>', 'the prompt (control tokens like [MASK] and <sop> are honoured)')
    .action(async (prompt: string, options: { model: string; seed: string; maxTokens: string; temperature: string; topK: string; topP: string; device: string }) => {
      const engine = await createOnnxEngine({ modelDir: options.model, device: options.device === 'cuda' ? 'cuda' : 'cpu' });
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      try {
        for await (const event of engine.generate({
          prompt,
          signal: controller.signal,
          settings: { seed: Number(options.seed), maxTokens: Number(options.maxTokens), temperature: Number(options.temperature), topK: Number(options.topK), topP: Number(options.topP) },
        })) {
          if (event.type === 'delta') process.stdout.write(event.text);
          else process.stderr.write(`\n[${event.finishReason}: ${event.usage.completionTokens} tokens, first token ${event.timings.firstTokenMs.toFixed(1)} ms, ${event.timings.totalMs.toFixed(1)} ms]\n`);
        }
      } finally {
        await engine.close();
      }
    });
}
