import { useEffect, useState } from 'react';
import { keyStore, setUnauthorizedHandler } from './api/api-client';
import { useI18n } from './i18n/i18n';
import { ConversationsPage } from './pages/conversations/conversations-page';
import { KnowledgePage } from './pages/knowledge/knowledge-page';
import { HealthPage } from './pages/health/health-page';
import { KeysPage } from './pages/keys/keys-page';
import { LoginPage } from './pages/login-page';
import { PersonasPage } from './pages/personas/personas-page';
import { ScenariosPage } from './pages/scenarios/scenarios-page';
import { navigate, useRoute } from './router';

const NAV = [
  { route: '/personas', label: 'nav.personas' },
  { route: '/knowledge', label: 'nav.knowledge' },
  { route: '/conversations', label: 'nav.conversations' },
  { route: '/scenarios', label: 'nav.scenarios' },
  { route: '/keys', label: 'nav.keys' },
  { route: '/health', label: 'nav.health' },
] as const;

export function App() {
  const { t, language, setLanguage } = useI18n();
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(() => keyStore.get() !== null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      keyStore.clear();
      setExpired(true);
      setSignedIn(false);
    });
  }, []);

  const signOut = () => {
    keyStore.clear();
    setExpired(false);
    setSignedIn(false);
  };

  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">{t('app.title')}</strong>
        {signedIn && (
          <nav>
            {NAV.map((item) => (
              <a
                key={item.route}
                href={`/console${item.route}`}
                className={route.startsWith(item.route) ? 'active' : ''}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(item.route);
                }}
              >
                {t(item.label)}
              </a>
            ))}
          </nav>
        )}
        <span className="spacer" />
        <button type="button" className="link" onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}>
          {t('lang.switch')}
        </button>
        {signedIn && (
          <button type="button" className="link" onClick={signOut}>
            {t('nav.signOut')}
          </button>
        )}
      </header>
      <main>
        {!signedIn ? (
          <LoginPage
            expired={expired}
            onSignedIn={() => {
              setExpired(false);
              setSignedIn(true);
            }}
          />
        ) : route.startsWith('/knowledge') ? (
          <KnowledgePage route={route} />
        ) : route.startsWith('/conversations') ? (
          <ConversationsPage route={route} />
        ) : route.startsWith('/scenarios') ? (
          <ScenariosPage route={route} />
        ) : route.startsWith('/keys') ? (
          <KeysPage />
        ) : route.startsWith('/health') ? (
          <HealthPage />
        ) : (
          <PersonasPage route={route} />
        )}
      </main>
    </div>
  );
}
