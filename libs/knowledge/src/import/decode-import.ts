import { ZhibingError } from '@zhibing/protocol';

/**
 * An import file's bytes as text: UTF-8 only (a byte-order mark is dropped). A binary file (NUL
 * bytes) or text in another encoding (GBK, Latin-1) is refused with `import_invalid` saying how to
 * fix it, instead of importing U+FFFD garbage.
 */
export function decodeImportText(bytes: Uint8Array): string {
  if (bytes.includes(0))
    throw new ZhibingError('import_invalid', 'The file is binary (it holds NUL bytes), not a text import file');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ZhibingError(
      'import_invalid',
      'The file is not UTF-8 text; convert it first (e.g. iconv -f GBK -t UTF-8 file > file.utf8)',
    );
  }
}
