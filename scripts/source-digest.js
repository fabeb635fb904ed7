// A digest of source files' names, sizes and modification times: the build scripts rebuild only
// when it changed since their last build (any file added, removed or touched).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

function fingerprint(entry, hash, include) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(entry).sort()) {
      if (name === 'node_modules' || name === 'dist') continue;
      fingerprint(path.join(entry, name), hash, include);
    }
  } else if (include(entry)) {
    hash.update(`${path.relative(root, entry)}:${stat.mtimeMs}:${stat.size}\n`);
  }
}

/** `sources`: paths relative to the repository root; `include`: which files count (default: all). */
function sourceDigest(sources, include = () => true) {
  const hash = crypto.createHash('sha1');
  for (const entry of sources) fingerprint(path.join(root, entry), hash, include);
  return hash.digest('hex');
}

module.exports = { sourceDigest };
