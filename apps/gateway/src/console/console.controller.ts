import { Controller, Get, Param, Redirect, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConsoleFiles } from './console-files';
import { ConsoleError } from './console.errors';

const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style attributes; the widget preview (same origin, in a srcdoc frame) brings its own <style>.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The admin console (apps/console, built into dist/console) at /console; `/` leads there. */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  constructor(private readonly files: ConsoleFiles) {}

  @Get()
  @Redirect('/console/', 302)
  root(): void {}

  @Get('console')
  index(@Res() response: Response): void {
    this.send(response, []);
  }

  @Get('console/*path')
  file(@Param('path') path: string[] | string, @Res() response: Response): void {
    this.send(response, Array.isArray(path) ? path : path.split('/'));
  }

  private send(response: Response, segments: string[]): void {
    // "/console/keys/" ends in an empty segment: the same route as "/console/keys".
    const file = this.files.resolve(segments.at(-1) === '' ? segments.slice(0, -1) : segments);
    if (!file) throw ConsoleError.noSuchFile();
    response.setHeader('X-Content-Type-Options', 'nosniff');
    // The page holds an admin key: only this gateway's own scripts run in it, and no other site frames it.
    if (file.absolutePath.endsWith('.html')) response.setHeader('Content-Security-Policy', CONSOLE_CSP);
    response.setHeader('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    response.sendFile(file.absolutePath);
  }
}
