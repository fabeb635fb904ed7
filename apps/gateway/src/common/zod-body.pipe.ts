import { type PipeTransform } from '@nestjs/common';
import { validate } from '@zhibing/protocol';
import type { z } from 'zod';

/** Validates a request body (or query) against a schema shared with clients in libs/protocol. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    return validate(this.schema, value ?? {});
  }
}
