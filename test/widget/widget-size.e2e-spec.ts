import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { buildWidgetIfStale, widgetFile } from '../../scripts/build-widget';

/**
 * The size budget of what a site's visitors download (README, "Widget"). At the time of writing the
 * build is ~74 KB raw / ~23.6 KB gzip, 42 KB of it the socket.io client (websocket and polling
 * transports) and 32 KB the widget; the budget leaves 6–8% for the widget to grow and fails a change that pulls
 * in a library by mistake (the protocol lib is imported for its types only: its zod schemas would add tens of KB).
 */
const BUDGET = { rawBytes: 80_000, gzipBytes: 25_000 };

describe('the widget bundle', () => {
  it('stays within its size budget, raw and gzipped', async () => {
    await buildWidgetIfStale({ quiet: true });
    const body = fs.readFileSync(widgetFile);
    const gzipped = zlib.gzipSync(body, { level: 9 }).length;
    process.stdout.write(`widget bundle: ${body.length} bytes raw, ${gzipped} bytes gzip\n`);
    expect(body.length).toBeLessThanOrEqual(BUDGET.rawBytes);
    expect(gzipped).toBeLessThanOrEqual(BUDGET.gzipBytes);
  });

  it('carries its own socket.io client and defines no globals but ZhibingWidget', () => {
    const body = fs.readFileSync(widgetFile, 'utf8');
    // An IIFE: everything, socket.io included, is local to it.
    expect(body.startsWith('"use strict";(()=>{') || body.startsWith('(()=>{')).toBe(true);
    expect(body).not.toMatch(/window\.io\s*=/);
    expect(body).toContain('ZhibingWidget');
  });
});
