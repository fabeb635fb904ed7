import { ApiError, type FieldIssue, keyStore } from './api-client';

/**
 * Posts `file` as multipart field `file` with XMLHttpRequest, because fetch reports no upload
 * progress; `onProgress` gets the fraction sent (0–1). Rejects with the API's typed problem.
 */
export function uploadWithProgress<T>(path: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  const form = new FormData();
  form.append('file', file);
  return postWithProgress<T>(path, form, onProgress);
}

/**
 * Posts `body` (a form, or a file sent as it is with `contentType`, as knowledge imports take it)
 * with upload progress, as uploadWithProgress does.
 */
export function postWithProgress<T>(
  path: string,
  body: FormData | Blob,
  onProgress: (fraction: number) => void,
  contentType?: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('authorization', `Bearer ${keyStore.get() ?? ''}`);
    if (contentType) xhr.setRequestHeader('content-type', contentType);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload did not reach the gateway'));
    xhr.onload = () => {
      let answer: { code?: string; detail?: string; title?: string; issues?: FieldIssue[] } = {};
      try {
        answer = JSON.parse(xhr.responseText) as typeof answer;
      } catch {
        // A non-JSON answer (a proxy's error page) is reported by its status below.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(answer as T);
      } else {
        const message = answer.detail ?? answer.title ?? xhr.statusText;
        reject(new ApiError(xhr.status, answer.code ?? `http_${xhr.status}`, message, answer.issues ?? []));
      }
    };
    xhr.send(body);
  });
}
