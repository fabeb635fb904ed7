import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { WidgetBundleFile } from './widget-bundle';

/** Serves the embeddable chat widget and a demo page that embeds it. */
@ApiExcludeController()
@Controller()
export class WidgetController {
  private readonly bundleFile = new WidgetBundleFile();

  @Get('widget.js')
  script(@Req() request: Request, @Res() response: Response): void {
    const bundle = this.bundleFile.read();
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.setHeader('ETag', bundle.etag);
    if (request.headers['if-none-match'] === bundle.etag) {
      response.status(304).end();
      return;
    }
    response.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    response.send(bundle.body);
  }

  /**
   * A page to try a persona: /widget/demo?key=zb_widget_…&persona=hua-zhibing, and optionally the
   * widget's own attributes: lang, color, position, voice (passed through as data-*).
   */
  @Get('widget/demo')
  @Header('Content-Type', 'text/html; charset=utf-8')
  demo(@Query() query: Record<string, unknown>): string {
    const attr = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
    const persona = text('persona') || 'hua-zhibing';
    const options = ['lang', 'color', 'position', 'voice']
      .filter((name) => text(name))
      .map((name) => ` data-${name}="${attr(text(name))}"`)
      .join('');
    const tag = `<script src="/widget.js" data-key="${attr(text('key'))}" data-persona="${attr(persona)}"${options}`;
    return `<!doctype html><html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Zhibing widget demo</title></head>
<body style="font-family:system-ui,sans-serif;margin:40px"><h1>Zhibing</h1>
<p>Persona <code>${attr(persona)}</code>: open the chat at the bottom right.</p>
${tag} data-open="true" defer></script></body></html>`;
  }
}
