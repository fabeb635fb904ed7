import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPersonaFiles } from './load-persona-files';

describe('loadPersonaFiles', () => {
  it('loads and validates every shipped persona', () => {
    const personas = loadPersonaFiles(path.join(__dirname, '..', '..', '..', 'persona'));
    expect(personas.map((p) => p.id)).toEqual([
      'front-desk',
      'hua-zhibing',
      'interviewer',
      'lin-daiyu-monkey',
      'lin-daiyu-palace',
      'lin-daiyu-sentimental',
    ]);
    const hua = personas.find((p) => p.id === 'hua-zhibing')!;
    expect(hua.seedKnowledge?.qa.map((q) => q.question)).toContain('谷爱凌是谁？');
    expect(personas.find((p) => p.id === 'interviewer')!.scenario).toBe('interview');
  });

  it('names the file and each bad field of an invalid persona', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-personas-'));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'id: Not Valid\nname: ""\nprofile: x\ngreeting: hi\n');
    expect(() => loadPersonaFiles(dir)).toThrow(/bad\.yaml.*id.*name|bad\.yaml.*name.*id/s);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
