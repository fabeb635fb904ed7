import { expertLoad } from './expert-load';

describe('expertLoad', () => {
  it('reads per-layer expert counts from Prometheus text, in layer and expert order', () => {
    const metrics = [
      '# HELP zhibing_moe_expert_tokens Tokens routed to each expert of each MoE layer since start',
      '# TYPE zhibing_moe_expert_tokens gauge',
      'zhibing_moe_expert_tokens{layer="1",expert="1"} 4',
      'zhibing_moe_expert_tokens{layer="0",expert="1"} 7',
      'zhibing_moe_expert_tokens{layer="0",expert="0"} 3',
      'zhibing_moe_expert_tokens{layer="1",expert="2"} 9',
      'zhibing_http_requests_total{method="GET"} 12',
    ].join('\n');
    expect(expertLoad(metrics)).toEqual([
      { layer: 0, counts: [3, 7] },
      { layer: 1, counts: [0, 4, 9] },
    ]);
  });

  it('is empty without an MoE engine', () => {
    expect(expertLoad('zhibing_http_requests_total{method="GET"} 12\n')).toEqual([]);
  });
});
