import type { GenerationEvent } from '../engine.port';

/** Drains a generation stream: its deltas' text and the final `end` event. */
export async function collectEvents(
  events: AsyncIterable<GenerationEvent>,
): Promise<{ deltas: string[]; end: Extract<GenerationEvent, { type: 'end' }>; all: GenerationEvent[] }> {
  const all: GenerationEvent[] = [];
  for await (const event of events) all.push(event);
  const end = all[all.length - 1];
  if (end?.type !== 'end') throw new Error('the stream ended without an end event');
  return {
    deltas: all.filter((e): e is Extract<GenerationEvent, { type: 'delta' }> => e.type === 'delta').map((e) => e.text),
    end,
    all,
  };
}
