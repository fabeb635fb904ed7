/** The conversation list's filters as the user typed them (dates are `yyyy-mm-dd` in local time). */
export interface ConversationFilters {
  personaId: string;
  channel: string;
  status: string;
  from: string;
  to: string;
  q: string;
}

export const NO_FILTERS: ConversationFilters = { personaId: '', channel: '', status: '', from: '', to: '', q: '' };

/**
 * The search and export query for `filters`: empty fields are left out, and the date range covers
 * whole local days (`to` is inclusive, so it becomes the start of the next day).
 */
export function filterQuery(filters: ConversationFilters): URLSearchParams {
  const query = new URLSearchParams();
  for (const field of ['personaId', 'channel', 'status', 'q'] as const) {
    const value = filters[field].trim();
    if (value) query.set(field, value);
  }
  if (filters.from) query.set('from', localDayStart(filters.from, 0));
  if (filters.to) query.set('to', localDayStart(filters.to, 1));
  return query;
}

function localDayStart(day: string, plusDays: number): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date + plusDays).toISOString();
}
