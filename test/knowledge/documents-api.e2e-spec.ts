import { MAX_DOCUMENT_BYTES } from '@zhibing/protocol';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';
import { docxFixture, encryptedPdfFixture, pdfFixture } from './documents-fixtures';

const MARKDOWN = `# 雪场指南

欢迎来到云顶雪场。本指南介绍开放时间和票价。

## 开放时间

云顶雪场每天早上八点半开放，晚上十点关闭。夜场从下午五点开始！

## 票价

成人全天票三百八十元，儿童半价。
`;

describe.each(testDatabases())('knowledge documents REST API on $name', (database) => {
  let server: TestApp;
  const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

  beforeAll(async () => {
    server = await startTestApp(database);
    await call('POST', '/v1/knowledge-bases', JSON.stringify({ name: 'resort' }));
  });
  afterAll(async () => {
    await server?.close();
  });

  async function call(method: string, path: string, body?: string) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function upload(name: string, bytes: Uint8Array | string, type = 'application/octet-stream', kb = 'resort') {
    const form = new FormData();
    form.append('file', new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)], { type }), name);
    const response = await fetch(`${server.url}/v1/knowledge-bases/${kb}/documents`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    return { status: response.status, body: await response.json() };
  }

  async function select(turn: string) {
    const selected = await call('POST', '/v1/knowledge-bases/resort/select', JSON.stringify({ turns: [turn], top: 1 }));
    return selected.body.items[0];
  }

  const itemCount = async () =>
    (await call('GET', '/v1/knowledge-bases')).body.find((kb: { name: string }) => kb.name === 'resort').items;

  it('cuts Markdown into passages by heading, with the source kept, and selects them', async () => {
    const report = await upload('指南.md', MARKDOWN, 'text/markdown');
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({
      passages: 3,
      inserted: 3,
      document: { name: '指南.md', type: 'markdown', passages: 3 },
    });
    const items = await call('GET', '/v1/knowledge-bases/resort/items?q=' + encodeURIComponent('半价'));
    expect(items.body).toEqual([
      expect.objectContaining({
        kind: 'description',
        head: '票价',
        text: '成人全天票三百八十元，儿童半价。',
        source: '指南.md',
        metadata: { document: '指南.md', type: 'markdown', section: ['雪场指南', '票价'], passage: 2 },
      }),
    ]);
    expect(await select('雪场的开放时间是几点？')).toMatchObject({ head: '开放时间', source: '指南.md' });
    expect((await select('雪场的开放时间是几点？')).text).toContain('八点半开放');
  });

  it('reads a PDF page by page and a DOCX with its Word headings', async () => {
    const pdf = await pdfFixture([
      ['Lift passes are sold at the north gate.', 'Helmets are mandatory on the black slopes.'],
      ['The shuttle bus leaves the hotel every twenty minutes.'],
    ]);
    const pdfReport = await upload('rules.pdf', pdf, 'application/pdf');
    expect(pdfReport).toMatchObject({ status: 201, body: { document: { type: 'pdf' }, inserted: 1 } });
    expect((await select('how often does the shuttle bus leave?')).text).toContain('every twenty minutes');

    const docx = await docxFixture([
      { heading: 1, text: 'Rental' },
      { text: 'Snowboards can be rented at the blue cabin for forty euros a day.' },
      { heading: 2, text: 'Lessons' },
      { text: 'Private lessons with an instructor start at nine.' },
    ]);
    const docxReport = await upload('rental.docx', docx);
    expect(docxReport).toMatchObject({ status: 201, body: { document: { type: 'docx', passages: 2 } } });
    expect(await select('where can I rent snowboards?')).toMatchObject({ head: 'Rental', source: 'rental.docx' });
    const lessons = await call('GET', '/v1/knowledge-bases/resort/items?q=instructor');
    expect(lessons.body[0]).toMatchObject({ head: 'Lessons', metadata: { section: ['Rental', 'Lessons'] } });
  });

  it('reads HTML without its scripts and styles', async () => {
    const html = `<html><head><style>p{color:red}</style></head><body><nav>Home</nav>
      <h2>Parking</h2><p>The car park &amp; garage is free for hotel guests.</p><script>alert(1)</script></body></html>`;
    const report = await upload('parking.html', html, 'text/html');
    expect(report).toMatchObject({ status: 201, body: { passages: 1 } });
    const items = await call('GET', '/v1/knowledge-bases/resort/items?q=garage');
    expect(items.body).toEqual([
      expect.objectContaining({ head: 'Parking', text: 'The car park & garage is free for hotel guests.' }),
    ]);
  });

  it('refuses bad documents with typed errors and writes nothing', async () => {
    const before = await itemCount();
    const cases: [string, Uint8Array | string, number, string][] = [
      ['table.xlsx', 'PK fake', 400, 'document_type_invalid'],
      ['fake.pdf', 'just text, renamed', 400, 'document_unreadable_invalid'],
      ['broken.pdf', '%PDF-1.7 then garbage', 400, 'document_unreadable_invalid'],
      ['broken.docx', 'PK not really a zip', 400, 'document_unreadable_invalid'],
      ['gbk.txt', new Uint8Array([0xc4, 0xe3, 0xba, 0xc3]), 400, 'document_unreadable_invalid'],
      ['blank.md', '#  \n\n   \n', 400, 'document_empty_invalid'],
      ['指南.md', MARKDOWN, 409, 'document_conflict'],
    ];
    for (const [name, bytes, status, code] of cases) {
      const refused = await upload(name, bytes);
      expect({ name, status: refused.status, code: refused.body.code }).toEqual({ name, status, code });
    }
    const encrypted = await upload('locked.pdf', await encryptedPdfFixture());
    expect(encrypted).toMatchObject({
      status: 400,
      body: { code: 'document_unreadable_invalid', reason: 'encrypted' },
    });
    const tooLarge = await upload('huge.txt', 'a'.repeat(MAX_DOCUMENT_BYTES + 1));
    expect(tooLarge).toMatchObject({ status: 413, body: { code: 'document_too_large' } });
    const wayTooLarge = await upload('huger.txt', 'a'.repeat(MAX_DOCUMENT_BYTES + 100));
    expect(wayTooLarge.status).toBe(413);
    const noBase = await upload('a.md', 'text', 'text/markdown', 'nowhere');
    expect(noBase).toMatchObject({ status: 404, body: { code: 'knowledge_base_not_found' } });
    const noFile = await fetch(`${server.url}/v1/knowledge-bases/resort/documents`, {
      method: 'POST',
      headers: auth,
      body: new FormData(),
    });
    expect(noFile.status).toBe(400);
    expect(await itemCount()).toBe(before);
  });

  it('lists documents with passage counts, and deleting one deletes its passages', async () => {
    const listed = await call('GET', '/v1/knowledge-bases/resort/documents');
    expect(listed.body.map((d: { name: string; passages: number }) => [d.name, d.passages])).toEqual([
      ['parking.html', 1],
      ['rental.docx', 2],
      ['rules.pdf', 1],
      ['指南.md', 3],
    ]);
    const before = await itemCount();
    const gone = await call('DELETE', `/v1/knowledge-bases/resort/documents/${encodeURIComponent('指南.md')}`);
    expect(gone).toEqual({ status: 200, body: { deleted: 3 } });
    expect(await itemCount()).toBe(before - 3);
    expect((await select('雪场的开放时间是几点？'))?.source).not.toBe('指南.md');
    const again = await call('DELETE', `/v1/knowledge-bases/resort/documents/${encodeURIComponent('指南.md')}`);
    expect(again).toMatchObject({ status: 404, body: { code: 'document_not_found' } });
  });
});
