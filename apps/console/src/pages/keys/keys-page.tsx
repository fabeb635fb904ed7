import type { ApiKeyDto, CreatedApiKeyDto, WorkspaceDto } from '@zhibing/protocol';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import type { PersonaSummary } from '../../api/admin-types';
import { ErrorAlert } from '../../components/error-alert';
import { useI18n } from '../../i18n/i18n';
import { CreateKeyForm } from './create-key-form';
import { WidgetSnippet } from './widget-snippet';

/** Keys of a workspace: list, create (scope, personas, origins), revoke; and the widget snippet. */
export function KeysPage() {
  const { t, time } = useI18n();
  const [workspaces, setWorkspaces] = useState<WorkspaceDto[]>([]);
  const [workspaceId, setWorkspaceId] = useState<string>('');
  const [keys, setKeys] = useState<ApiKeyDto[] | null>(null);
  const [personas, setPersonas] = useState<PersonaSummary[]>([]);
  const [created, setCreated] = useState<CreatedApiKeyDto | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    api<WorkspaceDto[]>('GET', '/v1/workspaces').then(
      (list) => {
        setWorkspaces(list);
        setWorkspaceId((list.find((w) => w.name === 'default') ?? list[0])?.id ?? '');
      },
      (e: Error) => setFailure(e.message),
    );
    api<PersonaSummary[]>('GET', '/v1/personas').then(setPersonas, (e: Error) => setFailure(e.message));
  }, []);

  const loadKeys = useCallback(() => {
    if (!workspaceId) return;
    api<ApiKeyDto[]>('GET', `/v1/workspaces/${workspaceId}/keys`).then(setKeys, (e: Error) => setFailure(e.message));
  }, [workspaceId]);
  useEffect(loadKeys, [loadKeys]);

  const revoke = async (key: ApiKeyDto) => {
    setFailure(null);
    try {
      await api('DELETE', `/v1/workspaces/${workspaceId}/keys/${key.id}`);
      loadKeys();
    } catch (e) {
      setFailure((e as Error).message);
    }
  };

  const date = (iso: string | null) => (iso ? time(iso) : t('common.none'));
  return (
    <div className="keys">
      <section className="card">
        <div className="row compact">
          <h2>{t('keys.title')}</h2>
          <span className="spacer" />
          {workspaces.length > 1 && (
            <label>
              {t('keys.workspace')}{' '}
              <select value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)}>
                {workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        <ErrorAlert message={failure} />
        {keys === null ? (
          <p>{t('common.loading')}</p>
        ) : (
          <table data-testid="keys">
            <thead>
              <tr>
                <th>{t('keys.name')}</th>
                <th>{t('keys.scope')}</th>
                <th>{t('keys.prefix')}</th>
                <th>{t('keys.personas')}</th>
                <th>{t('keys.origins')}</th>
                <th>{t('keys.created')}</th>
                <th>{t('keys.lastUsed')}</th>
                <th>{t('keys.status')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} data-key-name={key.name} className={key.revokedAt ? 'revoked' : ''}>
                  <td>{key.name}</td>
                  <td>{key.scope}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{key.personaIds.join(', ') || t('common.none')}</td>
                  <td>{key.allowedOrigins.join(' ') || t('common.none')}</td>
                  <td>{date(key.createdAt)}</td>
                  <td>{date(key.lastUsedAt)}</td>
                  <td className="status">
                    {key.revokedAt ? (
                      t('keys.revoked')
                    ) : key.scope === 'root' ? (
                      t('keys.active')
                    ) : (
                      <>
                        {t('keys.active')}{' '}
                        <button type="button" className="danger" onClick={() => revoke(key)}>
                          {t('keys.revoke')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="split">
        {workspaceId && (
          <CreateKeyForm
            workspaceId={workspaceId}
            personas={personas}
            onCreated={(key) => {
              setCreated(key);
              loadKeys();
            }}
          />
        )}
        <WidgetSnippet
          key={created?.id ?? 'none'}
          personas={personas}
          initialKey={created?.scope === 'widget' ? created.key : ''}
          initialPersona={created?.personaIds[0]}
        />
      </div>
    </div>
  );
}
