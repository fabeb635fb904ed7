import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../common/repo-root';

export interface WidgetBundle {
  body: string;
  etag: string;
}

/**
 * The embeddable script: the socket.io browser client followed by the widget, so a site needs
 * exactly one <script> tag. Built once per process.
 */
export function buildWidgetBundle(): WidgetBundle {
  const client = fs.readFileSync(require.resolve('socket.io-client/dist/socket.io.min.js'), 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '');
  const widget = fs.readFileSync(path.join(repoRoot(), 'apps', 'widget', 'src', 'zhibing-widget.js'), 'utf8');
  // The socket.io UMD bundle assigns window.io; the widget reads it from there.
  const body = `${client}\n;\n${widget}`;
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}
