import type { Engine, EngineCapabilities, GenerationEvent, GenerationRequest } from '../engine.port';

export interface RerankOptions {
  /** Candidates sampled per reply (≥ 2). */
  candidates: number;
  /** Weight of the forward likelihood; the inverse likelihood gets 1 − weight. */
  forwardWeight?: number;
}

export interface CandidateScore {
  text: string;
  forward: number;
  inverse: number;
  total: number;
}

/** The prompt as text, and the user's question in it (the last "用户：" line, or its tail). */
function promptParts(request: GenerationRequest): { prompt: string; question: string } {
  const prompt =
    request.prompt ??
    request.segments?.map((s) => (s.kind === 'text' ? s.text : '')).join('') ??
    request.messages?.map((m) => m.content).join('\n') ??
    '';
  const lastUser = request.messages
    ? [...request.messages].reverse().find((m) => m.role === 'user')?.content
    : undefined;
  const line = /(?:^|\n)用户：([^\n]*)\n?[^\n]*$/.exec(prompt.replace(/\[MASK\][\s\S]*$/, ''))?.[1];
  return { prompt, question: (lastUser ?? line ?? prompt.slice(-100)).trim() };
}

/**
 * Inverse prompting (Zou et al., KDD 2021) as a reranker: sample N candidates, score each by
 * the forward likelihood log p(candidate | prompt) and the inverse likelihood
 * log p(question | "回答：candidate 问题：") — does the reply lead back to what was asked? — both
 * per token, and stream the best. Needs an engine that can score.
 */
export class InversePromptingEngine implements Engine {
  readonly name: string;
  readonly capabilities: EngineCapabilities;
  /** Scores of the candidates of the most recent reply, for traces. */
  lastScores: CandidateScore[] = [];

  constructor(
    private readonly base: Engine,
    private readonly options: RerankOptions,
  ) {
    this.name = `${base.name}+inverse-prompting@${options.candidates}`;
    this.capabilities = base.capabilities;
  }

  countTokens(text: string): number {
    return this.base.countTokens(text);
  }

  score(prompt: string, continuation: string): Promise<number> {
    return this.base.score(prompt, continuation);
  }

  close(): Promise<void> {
    return this.base.close();
  }

  async *generate(request: GenerationRequest): AsyncIterable<GenerationEvent> {
    const started = performance.now();
    const seed = request.settings?.seed ?? 0;
    const runs = await Promise.all(
      Array.from({ length: this.options.candidates }, async (_, i) => {
        let end: Extract<GenerationEvent, { type: 'end' }> | undefined;
        for await (const event of this.base.generate({ ...request, settings: { ...request.settings, seed: seed + i } }))
          if (event.type === 'end') end = event;
        return end!;
      }),
    );
    if (request.signal?.aborted) {
      yield {
        type: 'end',
        text: '',
        finishReason: 'cancelled',
        usage: { promptTokens: runs[0]?.usage.promptTokens ?? 0, completionTokens: 0 },
        timings: { firstTokenMs: 0, totalMs: performance.now() - started },
      };
      return;
    }
    const { prompt, question } = promptParts(request);
    const weight = this.options.forwardWeight ?? 0.5;
    const perToken = (logp: number, text: string) => logp / Math.max(1, this.base.countTokens(text));
    this.lastScores = await Promise.all(
      runs.map(async (run) => {
        const forward = run.text ? perToken(await this.base.score(prompt, run.text), run.text) : -Infinity;
        const inverse =
          run.text && question
            ? perToken(await this.base.score(`回答：${run.text}\n问题：`, question), question)
            : -Infinity;
        return { text: run.text, forward, inverse, total: weight * forward + (1 - weight) * inverse };
      }),
    );
    const bestIndex = this.lastScores.reduce((best, s, i) => (s.total > this.lastScores[best].total ? i : best), 0);
    const best = runs[bestIndex];
    const firstTokenMs = performance.now() - started;
    if (best.text) yield { type: 'delta', text: best.text };
    yield {
      type: 'end',
      text: best.text,
      finishReason: best.finishReason,
      usage: {
        promptTokens: best.usage.promptTokens,
        completionTokens: runs.reduce((sum, r) => sum + r.usage.completionTokens, 0),
      },
      timings: { firstTokenMs, totalMs: performance.now() - started },
    };
  }
}
