/*
 * Zhibing chat widget: one <script> tag on any site.
 *
 *   <script src="https://zhibing.example.com/widget.js" data-key="zb_widget_…" data-persona="hua-zhibing"
 *     defer></script>
 *
 * Optional attributes: data-server (default: the script's origin), data-title, data-open="true",
 * data-lang (zh | en; default from the browser), data-color (theme), data-position
 * (bottom-right | bottom-left), data-voice="on" (replies read aloud), data-visitor-name (what {{user}}
 * in the persona's texts becomes). Built by
 * scripts/build-widget.js into one file with its own private socket.io client.
 */
import { readConfig } from './config';
import { ChatWidget } from './widget';

declare global {
  interface Window {
    /** Open or close the chat from the page's own code. */
    ZhibingWidget?: { open(): void; close(): void };
  }
}

const script = (document.currentScript ??
  document.querySelector('script[data-persona][data-key]')) as HTMLScriptElement | null;
// A page that includes the tag twice gets one widget.
if (script && !window.ZhibingWidget) {
  const start = () => {
    const widget = new ChatWidget(readConfig(script));
    window.ZhibingWidget = { open: () => widget.setOpen(true), close: () => widget.setOpen(false) };
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
