import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTinySentenceEncoder } from '@zhibing/kernels';
import { dot } from './embedder.port';
import { OnnxEmbedderAdapter } from './onnx-embedder.adapter';

describe('OnnxEmbedderAdapter on a tiny seeded sentence encoder', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-embedder-'));
  let embedder: OnnxEmbedderAdapter;

  beforeAll(async () => {
    buildTinySentenceEncoder({ out: folder, seed: 11, dims: 32 });
    embedder = await OnnxEmbedderAdapter.load(folder);
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('embeds texts of different lengths in one batch into unit vectors of the model width', async () => {
    const [a, b] = await embedder.embed(['谷爱凌是谁？', '故宫的门票多少钱，开放时间呢？']);
    expect(embedder.dimensions).toBe(32);
    expect(a).toHaveLength(32);
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(dot(b, b)).toBeCloseTo(1, 5);
  });

  it('ignores padding: a text embeds the same alone and in a batch with a longer one', async () => {
    const [alone] = await embedder.embed(['滑雪']);
    const [batched] = await embedder.embed(['滑雪', '一个长得多的句子，用来让批次里出现填充。']);
    for (let d = 0; d < 32; d++) expect(batched[d]).toBeCloseTo(alone[d], 5);
  });

  it('is deterministic for a fixed seed: rebuilt folder, same vectors', async () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-embedder-'));
    buildTinySentenceEncoder({ out: again, seed: 11, dims: 32 });
    const other = await OnnxEmbedderAdapter.load(again);
    expect(Array.from((await other.embed(['谷爱凌']))[0])).toEqual(Array.from((await embedder.embed(['谷爱凌']))[0]));
    fs.rmSync(again, { recursive: true, force: true });
  });

  it('a folder without model.onnx fails with a clear error naming the file', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-embedder-'));
    await expect(OnnxEmbedderAdapter.load(empty)).rejects.toMatchObject({
      code: 'embedder_invalid',
      message: expect.stringContaining('model.onnx'),
    });
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
