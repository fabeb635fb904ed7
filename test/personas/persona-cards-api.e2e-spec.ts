import { isPng, personaFromCard, plainPng, readPngText, writePngText } from '@zhibing/persona';
import { MAX_AVATAR_BYTES } from '@zhibing/protocol';
import { connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

const card = {
  spec: 'chara_card_v3',
  spec_version: '3.0',
  data: {
    name: '孙悟空',
    description: '{{char}}是花果山的美猴王。',
    personality: '顽皮',
    first_mes: '俺老孙来也！{{user}}好，{{char}}在此。',
    system_prompt: '你扮演{{char}}。',
    alternate_greetings: ['又见面了，{{user}}！'],
    tags: ['西游记'],
    creator_notes: 'e2e',
    group_only_greetings: [],
    character_book: { entries: [{ keys: ['金箍棒', '如意棒'], content: '{{char}}的兵器，重一万三千五百斤。' }] },
  },
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
/** A real PNG (a 3×3 image) with the card in a ccv3 chunk, as SillyTavern writes it. */
const cardPng = writePngText(plainPng(3, [200, 80, 40]), { ccv3: b64(card) });
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9,
]);

describe.each(testDatabases())('persona cards and avatars on $name', (database) => {
  let server: TestApp;
  const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  const upload = async (method: string, path: string, bytes: Buffer, name: string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    const response = await fetch(`${server.url}${path}`, { method, headers: auth, body: form });
    return { status: response.status, body: await response.json() };
  };
  const getJson = async (path: string) => (await fetch(`${server.url}${path}`, { headers: auth })).json();

  beforeAll(async () => {
    server = await startTestApp(database);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('imports a PNG card: persona with its card fields, lorebook as knowledge, the image as a public avatar', async () => {
    const imported = await upload('POST', '/v1/personas/import/card?id=wukong', cardPng, 'wukong.png', 'image/png');
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      version: 1,
      knowledgeItems: 2,
      persona: { id: 'wukong', greeting: '俺老孙来也！{{user}}好，{{char}}在此。', tags: ['西游记'] },
    });
    const { avatarUrl } = imported.body;
    expect(avatarUrl).toMatch(/^\/v1\/personas\/wukong\/avatar\?workspace=[0-9a-f-]+&v=[0-9a-f]{16}$/);

    // No key: a widget on any site loads it; the card chunk is not served with it.
    const image = await fetch(`${server.url}${avatarUrl}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toContain('immutable');
    expect(image.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(isPng(bytes) && readPngText(bytes).size).toBe(0);
    const etag = image.headers.get('etag')!;
    expect((await fetch(`${server.url}${avatarUrl}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // The default workspace's persona without naming the workspace.
    expect((await fetch(`${server.url}/v1/personas/wukong/avatar`)).status).toBe(200);
    expect((await getJson('/v1/personas/wukong')).avatarUrl).toBe(avatarUrl);
    const listed = (await getJson('/v1/personas')) as { id: string; avatarUrl?: string }[];
    expect(listed.filter((p) => p.avatarUrl).map((p) => [p.id, p.avatarUrl])).toEqual([['wukong', avatarUrl]]);
  });

  it('chat substitutes {{char}} and {{user}} and session.start gives the avatar', async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'wukong' });
      // The greeting or the card's alternate, chosen per conversation.
      expect(['俺老孙来也！你好，孙悟空在此。', '又见面了，你！']).toContain(data.greeting);
      expect(data.avatarUrl).toBe((await getJson('/v1/personas/wukong')).avatarUrl);
      await client.request('message', {
        conversationId: data.conversationId,
        clientMessageId: 'm1',
        text: '金箍棒有多重？',
      });
      const end = await client.waitFor('reply.end');
      expect(end.text).toContain('一万三千五百斤');
      expect(end.text).not.toMatch(/\{\{|\}\}/);
    } finally {
      client.close();
    }
  });

  it('exports V3 JSON and a PNG card that re-imports to the same persona', async () => {
    const v3 = await getJson('/v1/personas/wukong/card?spec=v3');
    expect(v3).toMatchObject({ spec: 'chara_card_v3', data: { system_prompt: '你扮演{{char}}。' } });
    const response = await fetch(`${server.url}/v1/personas/wukong/card.png`, { headers: auth });
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await response.arrayBuffer());
    const texts = readPngText(png);
    expect([...texts.keys()].sort()).toEqual(['ccv3', 'chara']);
    const original = (await getJson('/v1/personas/wukong')).persona;
    expect(personaFromCard(JSON.parse(Buffer.from(texts.get('chara')!, 'base64').toString()))).toEqual(original);
    const again = await upload('POST', '/v1/personas/import/card?id=wukong-2', png, 'x.png', 'image/png');
    expect(again.body.persona).toEqual({ ...original, id: 'wukong-2' });
    const reexported = await upload('POST', '/v1/personas/import/card', png, 'x.png', 'image/png');
    expect(reexported.body).toMatchObject({ version: 1, created: false, persona: original });
    // An archived persona's avatar is no longer served.
    expect((await fetch(`${server.url}${again.body.avatarUrl}`)).status).toBe(200);
    await fetch(`${server.url}/v1/personas/wukong-2`, { method: 'DELETE', headers: auth });
    expect((await fetch(`${server.url}${again.body.avatarUrl}`)).status).toBe(404);
  });

  it('refuses bad cards with typed 400s and changes nothing', async () => {
    const before = await getJson('/v1/personas');
    const bad = [
      [Buffer.from('GIF89a not a card'), 'card_png_invalid'],
      [plainPng(2, [0, 0, 0]), 'card_chunk_invalid'],
      [
        writePngText(plainPng(2, [0, 0, 0]), { chara: Buffer.from('{"spec":').toString('base64') }),
        'card_json_invalid',
      ],
      [writePngText(plainPng(2, [0, 0, 0]), { ccv3: b64({ ...card, spec: 'chara_card_v9' }) }), 'card_spec_invalid'],
      [Buffer.from('{not json'), 'card_json_invalid'],
      [Buffer.from(JSON.stringify({ ...card, data: { ...card.data, name: '' } })), 'card_invalid'],
    ] as const;
    for (const [bytes, code] of bad) {
      const answer = await upload('POST', '/v1/personas/import/card', bytes, 'card', 'application/octet-stream');
      expect([answer.status, answer.body.code]).toEqual([400, code]);
    }
    expect(await getJson('/v1/personas')).toEqual(before);
  });

  it('takes PNG, JPEG or WebP avatars within the size limit, with typed errors otherwise', async () => {
    const jpeg = await upload('PUT', '/v1/personas/hua-zhibing/avatar', JPEG, 'a.jpg', 'image/jpeg');
    expect([jpeg.status, jpeg.body.mediaType]).toEqual([200, 'image/jpeg']);
    const served = await fetch(`${server.url}${jpeg.body.avatarUrl}`);
    expect([served.headers.get('content-type'), Buffer.from(await served.arrayBuffer())]).toEqual(['image/jpeg', JPEG]);

    const gif = await upload('PUT', '/v1/personas/hua-zhibing/avatar', Buffer.from('GIF89a'), 'a.gif', 'image/png');
    expect([gif.status, gif.body.code]).toEqual([400, 'avatar_type_invalid']);
    const overBy1 = Buffer.concat([JPEG, Buffer.alloc(MAX_AVATAR_BYTES + 1 - JPEG.length)]);
    const tooLarge = await upload('PUT', '/v1/personas/hua-zhibing/avatar', overBy1, 'a.jpg', 'image/jpeg');
    expect([tooLarge.status, tooLarge.body.code]).toEqual([413, 'avatar_too_large']);
    // Far over: the upload is cut off while it streams in, answered as any too-large body.
    const huge = await upload('PUT', '/v1/personas/hua-zhibing/avatar', Buffer.alloc(5e6), 'a.jpg', 'image/jpeg');
    expect([huge.status, huge.body.code]).toEqual([413, 'body_too_large']);
    const missing = await upload('PUT', '/v1/personas/nobody/avatar', JPEG, 'a.jpg', 'image/jpeg');
    expect([missing.status, missing.body.code]).toEqual([404, 'persona_not_found']);
    // The stored avatar is still the JPEG.
    expect((await getJson('/v1/personas/hua-zhibing')).avatarUrl).toBe(jpeg.body.avatarUrl);

    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(JPEG)]), 'a.jpg');
    const noKey = await fetch(`${server.url}/v1/personas/hua-zhibing/avatar`, { method: 'PUT', body: form });
    expect(noKey.status).toBe(401);
    const none = await fetch(`${server.url}/v1/personas/front-desk/avatar`);
    expect([none.status, (await none.json()).code]).toEqual([404, 'avatar_not_found']);
  });
});
