import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { registerModelCommand } from './model.command';

/** Runs `zhibing model build …` in-process; returns the written config.json. */
async function build(args: string[]): Promise<{ position_encoding: string; zhibing: { graph: string } }> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-model-build-'));
  const program = new Command().exitOverride();
  registerModelCommand(program);
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['model', 'build', ...args, '--out', out], { from: 'user' });
    return JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
  } finally {
    write.mockRestore();
    fs.rmSync(out, { recursive: true, force: true });
  }
}

describe('zhibing model build', () => {
  it('builds the fused graph by default (a preset with 1-D positions); --graph naive keeps 2-D blank infilling', async () => {
    expect(await build(['--preset', 'tiny-moe'])).toMatchObject({
      position_encoding: '1d',
      zhibing: { graph: 'fused' },
    });
    expect(await build(['--preset', 'tiny-moe', '--graph', 'naive'])).toMatchObject({
      position_encoding: '2d',
      zhibing: { graph: 'naive' },
    });
  });
});
