import { diffLines } from 'diff';

export interface DiffLine {
  kind: 'added' | 'removed' | 'same';
  text: string;
}

/** JSON with sorted keys, one value per line, so a diff shows what changed and not where keys moved. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value), null, 2);
}

/** Line diff of two personas' canonical JSON. */
export function personaDiff(from: unknown, to: unknown): DiffLine[] {
  return diffLines(canonicalJson(from), canonicalJson(to)).flatMap((change) =>
    change.value
      .replace(/\n$/, '')
      .split('\n')
      .map((text) => ({ kind: change.added ? 'added' : change.removed ? 'removed' : 'same', text }) as DiffLine),
  );
}

/** Changed lines with `context` unchanged lines around each; longer unchanged runs become one gap. */
export function withContext(lines: DiffLine[], context = 2): (DiffLine | { kind: 'gap'; text: string })[] {
  const near = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) near[j] = true;
  });
  const out: (DiffLine | { kind: 'gap'; text: string })[] = [];
  lines.forEach((line, i) => {
    if (near[i]) out.push(line);
    else if (out[out.length - 1]?.kind !== 'gap') out.push({ kind: 'gap', text: '…' });
  });
  return out;
}
