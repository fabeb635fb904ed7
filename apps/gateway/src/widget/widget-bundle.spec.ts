import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { httpStatusForCode } from '../common/http-status-for-code';
import { WidgetBundleFile } from './widget-bundle';
import { WIDGET_ERROR_STATUS } from './widget.errors';

describe('WidgetBundleFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-widget-'));
  const file = path.join(dir, 'zhibing-widget.js');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers widget_unavailable (503) while the widget is not built', () => {
    expect(() => new WidgetBundleFile(file).read()).toThrow(expect.objectContaining({ code: 'widget_unavailable' }));
    for (const [code, status] of Object.entries(WIDGET_ERROR_STATUS)) expect(httpStatusForCode(code)).toBe(status);
  });

  it('serves the built file with an ETag of its content, and a rebuild without a restart', () => {
    fs.writeFileSync(file, 'console.log(1)');
    const bundle = new WidgetBundleFile(file);
    const first = bundle.read();
    expect(first.body.toString()).toBe('console.log(1)');
    expect(bundle.read().etag).toBe(first.etag);
    fs.writeFileSync(file, 'console.log(22)');
    const rebuilt = bundle.read();
    expect(rebuilt.body.toString()).toBe('console.log(22)');
    expect(rebuilt.etag).not.toBe(first.etag);
  });
});
