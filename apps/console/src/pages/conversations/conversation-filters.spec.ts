import { filterQuery, NO_FILTERS } from './conversation-filters';

describe('conversation filters', () => {
  it('leaves empty filters out', () => {
    expect(filterQuery(NO_FILTERS).toString()).toBe('');
    expect(filterQuery({ ...NO_FILTERS, q: '  滑雪 ', status: 'open' }).toString()).toBe(
      new URLSearchParams({ status: 'open', q: '滑雪' }).toString(),
    );
  });

  it('covers whole local days, the end day included', () => {
    const query = filterQuery({ ...NO_FILTERS, from: '2026-11-24', to: '2026-11-24' });
    expect(query.get('from')).toBe(new Date(2026, 10, 24).toISOString());
    expect(query.get('to')).toBe(new Date(2026, 10, 25).toISOString());
  });
});
