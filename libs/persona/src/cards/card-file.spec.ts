import { inflateSync } from 'node:zlib';
import { personaForChat } from '../persona-macros';
import { seedRecords } from '../sync-personas';
import { cardFromFile, cardPng } from './card-file';
import { personaFromCard } from './card-to-persona';
import { plainPng, readPngText, writePngText } from './png-text-chunks';
import { personaToCardV3 } from './persona-to-card';

const v3Card = {
  spec: 'chara_card_v3',
  spec_version: '3.0',
  data: {
    name: '孙悟空',
    description: '{{char}}是花果山的美猴王，{{user}}的老朋友。',
    personality: '顽皮',
    scenario: '在花果山水帘洞',
    first_mes: '俺老孙来也！{{user}}，找{{char}}何事？',
    mes_example: '<START>\n{{user}}: 你是谁？\n{{char}}: 齐天大圣！',
    system_prompt: '你扮演{{char}}。',
    alternate_greetings: ['{{user}}，又见面了！'],
    creator_notes: 'for tests',
    tags: ['西游记'],
    group_only_greetings: [],
    character_book: {
      entries: [
        { keys: ['金箍棒', '如意金箍棒'], content: '{{char}}的兵器，可大可小。', enabled: true },
        { keys: ['off'], content: 'disabled', enabled: false },
        { keys: [], content: '{{char}}会七十二变。', constant: true },
      ],
    },
  },
};

/** PNG chunk types in file order, read by hand (a second reader, independent of the one under test). */
function chunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) types.push(png.toString('latin1', at + 4, at + 8));
  return types;
}

describe('character cards', () => {
  it('keeps the V3 fields and macros; substitutes {{char}}/{{user}} only for chat', () => {
    const persona = personaFromCard(v3Card, { id: 'wukong' });
    expect(persona).toMatchObject({
      id: 'wukong',
      locale: 'zh-CN',
      greeting: '俺老孙来也！{{user}}，找{{char}}何事？',
      systemPrompt: '你扮演{{char}}。',
      alternateGreetings: ['{{user}}，又见面了！'],
      creatorNotes: 'for tests',
      tags: ['西游记'],
      grounding: { setting: '在花果山水帘洞' },
      lorebook: [
        { keys: ['金箍棒', '如意金箍棒'], content: '{{char}}的兵器，可大可小。' },
        { keys: ['孙悟空'], content: '{{char}}会七十二变。' },
      ],
      examples: [{ user: '你是谁？', persona: '齐天大圣！' }],
    });
    const chat = personaForChat(persona);
    expect(chat.greeting).toBe('俺老孙来也！你，找孙悟空何事？');
    expect(chat.profile).toBe('你扮演孙悟空。\n孙悟空是花果山的美猴王，你的老朋友。');
    expect(personaForChat(persona, '唐僧').alternateGreetings).toEqual(['唐僧，又见面了！']);
    expect(personaForChat({ ...persona, locale: 'en' }).greeting).toContain('you，');
  });

  it('turns lorebook entries into descriptions of their first key, other keys aliases', () => {
    const records = seedRecords(personaFromCard(v3Card, { id: 'wukong' }));
    expect(records).toEqual([
      { type: 'description', entity: '金箍棒', text: '孙悟空的兵器，可大可小。', source: 'card:wukong' },
      { type: 'triple', head: '金箍棒', relation: '别名', tail: '如意金箍棒', source: 'card:wukong' },
      { type: 'description', entity: '孙悟空', text: '孙悟空会七十二变。', source: 'card:wukong' },
    ]);
  });

  it('a PNG card carries V2 and V3 chunks and re-imports to the same persona', () => {
    const persona = personaFromCard(v3Card, { id: 'wukong' });
    const png = cardPng(persona, []);
    expect(chunkTypes(png)).toEqual(['IHDR', 'IDAT', 'tEXt', 'tEXt', 'IEND']);
    // The image itself is intact: 256 rows of a filter byte and 256 RGB pixels.
    expect(inflateSync(png.subarray(33 + 8, 33 + 8 + png.readUInt32BE(33))).length).toBe(256 * (1 + 256 * 3));
    const texts = readPngText(png);
    expect(JSON.parse(Buffer.from(texts.get('chara')!, 'base64').toString()).spec).toBe('chara_card_v2');
    const { card, image } = cardFromFile(png);
    expect((card as { spec: string }).spec).toBe('chara_card_v3');
    expect(personaFromCard(card)).toEqual(persona);
    expect(chunkTypes(image!)).toEqual(['IHDR', 'IDAT', 'IEND']);
    // Writing again replaces the chunks rather than adding more.
    expect(chunkTypes(cardPng(persona, [], { bytes: png, mediaType: 'image/png' }))).toEqual(chunkTypes(png));
  });

  it('reads a V2-only PNG (the chara chunk) and plain JSON', () => {
    const v2 = { ...v3Card, spec: 'chara_card_v2', spec_version: '2.0' };
    const png = writePngText(plainPng(4, [1, 2, 3]), { chara: Buffer.from(JSON.stringify(v2)).toString('base64') });
    expect(personaFromCard(cardFromFile(png).card).name).toBe('孙悟空');
    expect(
      personaFromCard(cardFromFile(Buffer.from(JSON.stringify(personaToCardV3(personaFromCard(v2))))).card),
    ).toEqual(personaFromCard(v2));
  });

  it('refuses bad files with typed errors', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as { code: string }).code;
      }
      return 'none';
    };
    expect(code(() => cardFromFile(Buffer.from('GIF89a…')))).toBe('card_png_invalid');
    expect(code(() => cardFromFile(plainPng(2, [0, 0, 0])))).toBe('card_chunk_invalid');
    const corrupt = Buffer.from(plainPng(2, [0, 0, 0]));
    corrupt[20] ^= 0xff;
    expect(code(() => cardFromFile(corrupt))).toBe('card_png_invalid');
    expect(code(() => cardFromFile(Buffer.from('{"spec": ')))).toBe('card_json_invalid');
    const badChunk = writePngText(plainPng(2, [0, 0, 0]), { ccv3: Buffer.from('{oops').toString('base64') });
    expect(code(() => cardFromFile(badChunk))).toBe('card_json_invalid');
    expect(code(() => personaFromCard({ spec: 'chara_card_v9', data: {} }))).toBe('card_spec_invalid');
    expect(code(() => personaFromCard({ name: 'V1 card' }))).toBe('card_spec_invalid');
    expect(code(() => personaFromCard({ spec: 'chara_card_v2', spec_version: '2.0', data: { name: '' } }))).toBe(
      'card_invalid',
    );
    const long = { ...v3Card, data: { ...v3Card.data, description: 'x'.repeat(5000) } };
    expect(() => personaFromCard(long)).toThrow(/data\.description/);
  });
});
