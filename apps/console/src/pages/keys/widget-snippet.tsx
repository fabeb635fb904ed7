import { useState } from 'react';
import type { PersonaSummary } from '../../api/admin-types';
import { CopyButton } from '../../components/copy-button';
import { PersonaOptions } from '../../components/persona-options';
import { useI18n } from '../../i18n/i18n';

const attr = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The one tag a site adds, pointing at this gateway. */
export function widgetSnippet(gateway: string, key: string, persona: string): string {
  return `<script src="${gateway}/widget.js" data-key="${attr(key)}" data-persona="${attr(persona)}" defer></script>`;
}

/** A test page around the snippet, opened in the preview iframe (same origin as this console). */
function testPage(snippet: string, title: string, text: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${attr(title)}</title></head>
<body style="font-family:system-ui,sans-serif;margin:24px"><h1>${attr(title)}</h1><p>${attr(text)}</p>
${snippet.replace(' defer>', ' data-open="true" defer>')}</body></html>`;
}

/** Builds the widget snippet for a key and persona, and shows the real widget with it on a test page. */
export function WidgetSnippet({
  personas,
  initialKey,
  initialPersona,
}: {
  personas: PersonaSummary[];
  initialKey: string;
  initialPersona?: string;
}) {
  const { t } = useI18n();
  const [key, setKey] = useState(initialKey);
  const [persona, setPersona] = useState(initialPersona ?? '');
  const [preview, setPreview] = useState<string | null>(null);
  const chosen = persona || personas[0]?.id || '';
  const snippet = widgetSnippet(location.origin, key.trim(), chosen);

  return (
    <section className="card snippet" data-testid="snippet">
      <h3>{t('snippet.title')}</h3>
      <label>
        {t('snippet.key')}
        <input name="widget-key" value={key} onChange={(e) => setKey(e.target.value)} placeholder="zb_widget_…" />
      </label>
      <p className="hint">{t('snippet.keyHint')}</p>
      <label>
        {t('snippet.persona')}
        <select name="widget-persona" value={chosen} onChange={(e) => setPersona(e.target.value)}>
          <PersonaOptions personas={personas} />
        </select>
      </label>
      <pre className="code" data-testid="snippet-code">
        {snippet}
      </pre>
      <div className="row compact">
        <CopyButton text={snippet} />
        <button
          type="button"
          disabled={!key.trim() || !chosen}
          onClick={() => setPreview(testPage(snippet, t('snippet.pageTitle'), t('snippet.pageText')))}
        >
          {t('snippet.preview')}
        </button>
      </div>
      <p className="hint">{t('snippet.originWarning', { origin: location.origin })}</p>
      {preview && <iframe title="widget preview" className="widget-preview" srcDoc={preview} />}
    </section>
  );
}
