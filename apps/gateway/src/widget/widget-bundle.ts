import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../common/repo-root';

export interface WidgetBundle {
  body: string;
  etag: string;
}

/** A package's folder (its `exports` do not list the browser bundle, so it cannot be resolved directly). */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (
    !fs.existsSync(path.join(dir, 'package.json')) ||
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name
  ) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of package ${name}`);
    dir = parent;
  }
  return dir;
}

/**
 * The embeddable script: the socket.io browser client followed by the widget, so a site needs
 * exactly one <script> tag. Built once per process.
 */
export function buildWidgetBundle(): WidgetBundle {
  const client = fs
    .readFileSync(path.join(packageDir('socket.io-client'), 'dist', 'socket.io.min.js'), 'utf8')
    .replace(/\/\/# sourceMappingURL=.*$/m, '');
  const widget = fs.readFileSync(path.join(repoRoot(), 'apps', 'widget', 'src', 'zhibing-widget.js'), 'utf8');
  // The socket.io UMD bundle assigns window.io; the widget reads it from there.
  const body = `${client}\n;\n${widget}`;
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}
