import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../common/repo-root';
import { WidgetError } from './widget.errors';

export interface WidgetBundle {
  body: Buffer;
  etag: string;
}

/**
 * The embeddable script as scripts/build-widget.js built it (dist/widget/zhibing-widget.js: the
 * widget with its own socket.io client inside). Read again only when the file changes, so a
 * rebuild is served without a restart.
 */
export class WidgetBundleFile {
  private cached?: { mtimeMs: number; size: number; bundle: WidgetBundle };

  constructor(private readonly file = path.join(repoRoot(), 'dist', 'widget', 'zhibing-widget.js')) {}

  read(): WidgetBundle {
    const stat = fs.statSync(this.file, { throwIfNoEntry: false });
    if (!stat) throw WidgetError.notBuilt();
    if (this.cached?.mtimeMs !== stat.mtimeMs || this.cached.size !== stat.size) {
      const body = fs.readFileSync(this.file);
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      this.cached = { mtimeMs: stat.mtimeMs, size: stat.size, bundle: { body, etag } };
    }
    return this.cached.bundle;
  }
}
