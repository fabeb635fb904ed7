/** One field's problem, as the API's problem+json `issues` and the shared schemas both report it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** An API answer that is not 2xx, carrying the problem+json fields the console shows. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const KEY_STORAGE = 'zhibing.console.key';

/** The pasted admin key lives in sessionStorage: it leaves with the tab, never in localStorage. */
export const keyStore = {
  get: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  set: (key: string) => sessionStorage.setItem(KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

let onUnauthorized: () => void = () => undefined;
/** Called when a stored key stops working (revoked while the console is open). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { code?: string; detail?: string; title?: string; issues?: FieldIssue[] };
    return new ApiError(
      response.status,
      problem.code ?? `http_${response.status}`,
      problem.detail ?? problem.title ?? response.statusText,
      Array.isArray(problem.issues) ? problem.issues : [],
    );
  } catch {
    return new ApiError(response.status, `http_${response.status}`, text.slice(0, 300) || response.statusText);
  }
}

/** Calls the gateway's REST API with `key` (default: the stored one); `body` is sent as JSON. */
export function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  key = keyStore.get() ?? '',
): Promise<T> {
  const json = body === undefined ? undefined : { text: JSON.stringify(body), type: 'application/json' };
  return request<T>(method, path, json, key);
}

/** A page of a list route and the number of matches in all (its `X-Total-Count` header). */
export async function apiPage<T>(path: string): Promise<{ rows: T[]; total: number }> {
  const response = await send('GET', path, undefined, {}, keyStore.get() ?? '');
  const rows = (await response.json()) as T[];
  const total = Number(response.headers.get('x-total-count') ?? rows.length);
  return { rows, total };
}

/** Sends a file as the multipart field `file` (avatars, character cards). */
export async function apiFile<T>(method: 'POST' | 'PUT', path: string, file: Blob, name: string): Promise<T> {
  const form = new FormData();
  form.append('file', file, name);
  const response = await send(method, path, form, {}, keyStore.get() ?? '');
  return (await response.json()) as T;
}

/** A binary answer (a PNG card) as a Blob. */
export async function apiBlob(path: string): Promise<Blob> {
  return (await send('GET', path, undefined, {}, keyStore.get() ?? '')).blob();
}

async function request<T>(
  method: string,
  path: string,
  body: { text: string; type: string } | undefined,
  key: string,
): Promise<T> {
  const response = await send(method, path, body?.text, body ? { 'content-type': body.type } : {}, key);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function send(
  method: string,
  path: string,
  body: string | FormData | undefined,
  headers: Record<string, string>,
  key: string,
): Promise<Response> {
  const response = await fetch(path, { method, headers: { authorization: `Bearer ${key}`, ...headers }, body });
  if (!response.ok) throw await failed(response, key);
  return response;
}

async function failed(response: Response, key: string): Promise<ApiError> {
  const error = await toApiError(response);
  if (response.status === 401 && key === keyStore.get()) onUnauthorized();
  return error;
}
