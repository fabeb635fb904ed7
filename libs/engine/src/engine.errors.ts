import { ZhibingError } from '@zhibing/protocol';

/** A model folder that cannot be used; the message names the file and what is wrong with it. */
export class ModelFolderError extends ZhibingError {
  constructor(file: string, problem: string) {
    super('model_invalid', `${file}: ${problem}`, { file });
    this.name = 'ModelFolderError';
  }
}

/** The engine failed while generating. */
export class EngineError extends ZhibingError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, undefined, options);
    this.name = 'EngineError';
  }
}
