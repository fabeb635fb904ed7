import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { buildWidgetBundle, type WidgetBundle } from './widget-bundle';

/** Serves the embeddable chat widget and a demo page that embeds it. */
@ApiExcludeController()
@Controller()
export class WidgetController {
  private bundle?: WidgetBundle;

  @Get('widget.js')
  script(@Req() request: Request, @Res() response: Response): void {
    this.bundle ??= buildWidgetBundle();
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.setHeader('ETag', this.bundle.etag);
    if (request.headers['if-none-match'] === this.bundle.etag) {
      response.status(304).end();
      return;
    }
    response.type('application/javascript').send(this.bundle.body);
  }

  /** A page to try a persona: /widget/demo?key=zb_widget_…&persona=hua-zhibing */
  @Get('widget/demo')
  @Header('Content-Type', 'text/html; charset=utf-8')
  demo(@Query('key') key = '', @Query('persona') persona = 'hua-zhibing'): string {
    const attr = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>Zhibing widget demo</title></head>
<body style="font-family:system-ui,sans-serif;margin:40px"><h1>Zhibing</h1><p>Persona <code>${attr(persona)}</code>: open the chat at the bottom right.</p>
<script src="/widget.js" data-key="${attr(key)}" data-persona="${attr(persona)}" data-open="true" defer></script></body></html>`;
  }
}
