import { generationTotals, ratesBetween } from './generation-rates';

const scrape = (tokens: number, seconds: number, sum: number, count: number) =>
  [
    '# TYPE zhibing_generation_tokens_total counter',
    `zhibing_generation_tokens_total{responder="onnx:tiny-moe"} ${tokens}`,
    `zhibing_generation_tokens_total{responder="retrieval"} 0`,
    `zhibing_generation_seconds_total{responder="onnx:tiny-moe"} ${seconds}`,
    `zhibing_generation_first_token_seconds_bucket{le="0.1",responder="onnx:tiny-moe"} ${count}`,
    `zhibing_generation_first_token_seconds_sum{responder="onnx:tiny-moe"} ${sum}`,
    `zhibing_generation_first_token_seconds_count{responder="onnx:tiny-moe"} ${count}`,
    'zhibing_http_requests_total{method="GET"} 9',
  ].join('\n');

describe('generation rates from /metrics', () => {
  it('sums the generation counters over responders, ignoring buckets and other metrics', () => {
    expect(generationTotals(scrape(120, 2, 0.3, 3), 5)).toEqual({
      at: 5,
      tokens: 120,
      seconds: 2,
      firstTokenSum: 0.3,
      firstTokenCount: 3,
    });
  });

  it('gives tokens per generation second and the mean first-token time of the interval', () => {
    const point = ratesBetween(
      generationTotals(scrape(100, 2, 0.2, 2), 0),
      generationTotals(scrape(400, 3, 0.5, 5), 3),
    );
    expect(point?.tokensPerSecond).toBe(300);
    expect(point?.firstTokenMs).toBeCloseTo(100);
    const idle = ratesBetween(generationTotals(scrape(100, 2, 0.2, 2), 0), generationTotals(scrape(100, 2, 0.2, 2), 3));
    expect(idle).toEqual({ at: 3, tokensPerSecond: 0, firstTokenMs: null });
    expect(
      ratesBetween(generationTotals(scrape(100, 2, 0.2, 2), 0), generationTotals(scrape(5, 1, 0, 1), 3)),
    ).toBeNull();
  });
});
