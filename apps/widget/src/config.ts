import type { Lang } from './i18n';

/** What the site owner set on the <script> tag. */
export interface WidgetConfig {
  key: string;
  persona: string;
  /** The gateway (default: where the script came from). */
  server: string;
  /** Header title instead of the persona's name. */
  title: string;
  open: boolean;
  lang: Lang;
  /** Theme colour (any CSS colour). */
  color: string;
  position: 'bottom-right' | 'bottom-left';
  /** Replies read aloud (speechSynthesis) from the start; the header toggle changes it. */
  voice: boolean;
  /** The signed-in visitor's name, which `{{user}}` in the persona's texts becomes (optional). */
  visitorName: string;
}

const DEFAULT_COLOR = '#2f6fed';

/** zh or en: `data-lang`, else the visitor's browser language (Chinese unless it is English). */
export function pickLang(attribute: string | null, browserLanguage: string): Lang {
  const wanted = (attribute || browserLanguage || '').toLowerCase();
  return wanted.startsWith('en') ? 'en' : 'zh';
}

/** A colour the browser understands, else the default (a typo must not make the widget invisible). */
function validColor(value: string | null): string {
  if (!value) return DEFAULT_COLOR;
  const probe = document.createElement('span').style;
  probe.color = value;
  return probe.color ? value : DEFAULT_COLOR;
}

export function readConfig(script: HTMLScriptElement): WidgetConfig {
  const attr = (name: string) => script.getAttribute(`data-${name}`);
  return {
    key: attr('key') || '',
    persona: attr('persona') || 'hua-zhibing',
    server: attr('server') || new URL(script.src, location.href).origin,
    title: attr('title') || '',
    open: attr('open') === 'true',
    lang: pickLang(attr('lang'), navigator.language),
    color: validColor(attr('color')),
    position: attr('position') === 'bottom-left' ? 'bottom-left' : 'bottom-right',
    voice: attr('voice') === 'on',
    visitorName: (attr('visitor-name') || '').trim().slice(0, 60),
  };
}
