import { ApiError, keyStore } from './api-client';

/**
 * Downloads an API answer as a file: a plain link cannot carry the admin key's header, so the
 * body is fetched with it and handed to the browser as a blob URL.
 */
export async function downloadFile(path: string, fileName: string): Promise<void> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${keyStore.get() ?? ''}` } });
  if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, await response.text());
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
