import { type FormEvent, useState } from 'react';
import { api, ApiError, keyStore } from '../api/api-client';
import { ErrorAlert } from '../components/error-alert';
import { useI18n } from '../i18n/i18n';

/** Asks for a root or admin key and checks it against the API before keeping it. */
export function LoginPage({ expired, onSignedIn }: { expired: boolean; onSignedIn(): void }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(expired ? t('login.expired') : null);
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setError(null);
    try {
      await api('GET', '/v1/workspaces', undefined, key.trim());
      keyStore.set(key.trim());
      onSignedIn();
    } catch (caught) {
      const e = caught as Error;
      setError(
        e instanceof ApiError && e.status === 401
          ? t('login.wrongKey')
          : e instanceof ApiError && e.status === 403
            ? t('login.widgetKey')
            : e instanceof ApiError && e.status === 429
              ? t('login.rateLimited')
              : `${t('common.error')}: ${e.message}`,
      );
    } finally {
      setChecking(false);
    }
  };

  return (
    <form className="card login" onSubmit={submit}>
      <h1>{t('login.title')}</h1>
      <p className="hint">{t('login.hint')}</p>
      <label>
        {t('login.key')}
        <input
          name="key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder="zb_root_…"
        />
      </label>
      <ErrorAlert message={error} />
      <button type="submit" disabled={checking || key.trim() === ''}>
        {checking ? t('login.checking') : t('login.submit')}
      </button>
    </form>
  );
}
