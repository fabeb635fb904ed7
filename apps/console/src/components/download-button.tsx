import type { ReactNode } from 'react';
import { downloadFile } from '../api/download';

/** A secondary button that downloads an API answer as a file; a failed download goes to `onError`. */
export function DownloadButton({
  path,
  fileName,
  disabled,
  onError,
  children,
}: {
  path: string;
  fileName: string;
  disabled?: boolean;
  onError(message: string): void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="secondary"
      disabled={disabled}
      onClick={() => downloadFile(path, fileName).catch((e: Error) => onError(e.message))}
    >
      {children}
    </button>
  );
}
