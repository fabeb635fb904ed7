import { useEffect, useRef, useState } from 'react';
import { apiPage } from './api-client';

/** One page of a list and the list's total (the API's X-Total-Count). */
export interface PageOf<T> {
  rows: T[];
  total: number;
}

/**
 * Reads one page of a list API: `limit` and `offset` are added to `path` (which may carry its own query);
 * a null path reads nothing. The page is null while it loads. A failed read goes to `on.error`, a
 * successful one calls `on.loaded` (pages use it to clear an earlier failure).
 */
export function usePagedRows<T>(
  path: string | null,
  offset: number,
  pageSize: number,
  on: { error(message: string): void; loaded?(): void },
): PageOf<T> | null {
  const [page, setPage] = useState<PageOf<T> | null>(null);
  // The handlers are new closures each render; reading them through a ref keeps them out of the effect's deps.
  const handlers = useRef(on);
  handlers.current = on;

  useEffect(() => {
    if (path === null) return;
    const [base, search = ''] = path.split('?');
    const query = new URLSearchParams(search);
    query.set('limit', String(pageSize));
    query.set('offset', String(offset));
    setPage(null);
    apiPage<T>(`${base}?${query}`).then(
      (result) => {
        setPage(result);
        handlers.current.loaded?.();
      },
      (e: Error) => handlers.current.error(e.message),
    );
  }, [path, offset, pageSize]);
  return page;
}
