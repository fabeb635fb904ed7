import { useEffect, useState } from 'react';
import { apiFile, ApiError } from '../../api/api-client';
import { ErrorAlert } from '../../components/error-alert';
import { useI18n } from '../../i18n/i18n';
import './avatar.css';

/** The persona's avatar: the current image, a preview of a chosen file, and its upload. */
export function AvatarUpload(props: { personaId: string; avatarUrl?: string; onUploaded(avatarUrl: string): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    try {
      const { avatarUrl } = await apiFile<{ avatarUrl: string }>(
        'PUT',
        `/v1/personas/${encodeURIComponent(props.personaId)}/avatar`,
        file,
        file.name,
      );
      setFile(null);
      props.onUploaded(avatarUrl);
    } catch (error) {
      setFailure(error instanceof ApiError ? `${error.code}: ${error.message}` : (error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const shown = preview ?? props.avatarUrl;
  return (
    <div className="avatar-upload row compact" data-testid="avatar-upload">
      {shown ? (
        <img className="avatar-image" src={shown} alt={t('avatar.title')} width={64} height={64} />
      ) : (
        <span className="avatar-image muted">{t('avatar.none')}</span>
      )}
      <input
        type="file"
        name="avatar"
        accept="image/png,image/jpeg,image/webp"
        title={t('avatar.formats')}
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      <button type="button" className="secondary" disabled={!file || busy} onClick={upload}>
        {t('avatar.upload')}
      </button>
      <ErrorAlert message={failure} />
    </div>
  );
}
