import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../common/repo-root';
import { ConsoleError } from './console.errors';

export interface ConsoleFile {
  absolutePath: string;
  /** Hashed build assets never change under their name; everything else is revalidated. */
  immutable: boolean;
}

/**
 * Maps a URL path under /console to a file of the built console (dist/console): an existing file,
 * or index.html for an application route (no file extension), so deep links survive a reload.
 * Never leaves the build folder; dotfiles (the build stamp) are not served.
 */
export class ConsoleFiles {
  constructor(private readonly dir = path.join(repoRoot(), 'dist', 'console')) {}

  resolve(segments: string[]): ConsoleFile | null {
    const index = path.join(this.dir, 'index.html');
    if (!fs.existsSync(index)) throw ConsoleError.notBuilt();
    if (segments.some((s) => s === '' || s.startsWith('.') || s.includes('\\') || s.includes('\0'))) return null;
    if (segments.length > 0) {
      const candidate = path.resolve(this.dir, ...segments);
      if (!candidate.startsWith(this.dir + path.sep)) return null;
      if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) {
        return { absolutePath: candidate, immutable: segments[0] === 'assets' };
      }
      // A missing file (an extension in its name) is a 404; anything else is a route of the app.
      if (path.extname(segments[segments.length - 1]) !== '') return null;
    }
    return { absolutePath: index, immutable: false };
  }
}
