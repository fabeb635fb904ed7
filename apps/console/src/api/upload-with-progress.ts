import { ApiError, type FieldIssue, keyStore } from './api-client';

/**
 * Posts `file` as multipart field `file` with XMLHttpRequest, because fetch reports no upload
 * progress; `onProgress` gets the fraction sent (0–1). Rejects with the API's typed problem.
 */
export function uploadWithProgress<T>(path: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('authorization', `Bearer ${keyStore.get() ?? ''}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload did not reach the gateway'));
    xhr.onload = () => {
      let body: { code?: string; detail?: string; title?: string; issues?: FieldIssue[] } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // A non-JSON answer (a proxy's error page) is reported by its status below.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        const message = body.detail ?? body.title ?? xhr.statusText;
        reject(new ApiError(xhr.status, body.code ?? `http_${xhr.status}`, message, body.issues ?? []));
      }
    };
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}
