import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentImportService, KnowledgeService } from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Bench } from './benches';

const SENTENCES = [
  'The north gate sells lift passes from eight in the morning.',
  'Helmets are mandatory on every black slope of the resort.',
  'The shuttle bus leaves the hotel every twenty minutes.',
  'Private lessons start at nine and last two hours.',
];

/** A Markdown guide of `sections` sections, each a heading and a few Chinese and English paragraphs. */
function markdown(sections: number): string {
  const parts: string[] = ['# 雪场指南'];
  for (let s = 0; s < sections; s++) {
    parts.push(`## 第${s}节 区域${s}`);
    for (let p = 0; p < 4; p++)
      parts.push(`区域${s}的第${p}段介绍：缆车早上八点开放，晚上十点关闭。${SENTENCES[(s + p) % 4]} 请遵守规则！`);
  }
  return parts.join('\n\n');
}

async function pdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([600, 800]);
    for (let line = 0; line < 40; line++)
      page.drawText(`${p}.${line} ${SENTENCES[(p + line) % 4]}`, { x: 30, y: 770 - line * 18, size: 10, font });
  }
  return doc.save({ useObjectStreams: false });
}

/**
 * Document import on the embedded store: a 300-section Markdown guide and a 100-page PDF, cut
 * into passages and written; against the baseline of writing the same passages as plain records
 * (so the ratio is what parsing and cutting add to the write).
 */
export const documentsBench: Bench = {
  name: 'documents',
  async run() {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-docs-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: folder });
    try {
      const knowledge = new KnowledgeService(db);
      const documents = new DocumentImportService(db, knowledge);
      const workspaceId = await ensureWorkspace(db);
      const files: [string, Uint8Array][] = [
        ['guide.md', new TextEncoder().encode(markdown(300))],
        ['rules.pdf', await pdf(100)],
      ];
      for (const [name, bytes] of files) {
        await knowledge.repository.ensureKnowledgeBase(workspaceId, name);
        const report = await documents.import(workspaceId, name, { name, bytes });
        const items = await knowledge.repository.listItems(report.knowledgeBase.id, { limit: 100_000, offset: 0 });
        const baselineBase = `${name}-records`;
        const started = performance.now();
        await knowledge.importRecords(
          workspaceId,
          baselineBase,
          items.map((item) => ({ type: 'description', entity: item.head!, text: item.text! })),
        );
        const baselineMs = performance.now() - started;
        console.log(
          `${name} (${(bytes.length / 1024).toFixed(0)} KiB): ${report.passages} passages in ${report.ms} ms ` +
            `(${((report.passages / report.ms) * 1000).toFixed(0)} passages/s); writing the same passages as ` +
            `records: ${baselineMs.toFixed(0)} ms; ratio ${(report.ms / baselineMs).toFixed(2)}×`,
        );
      }
    } finally {
      await closeDatabase(db);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  },
};
