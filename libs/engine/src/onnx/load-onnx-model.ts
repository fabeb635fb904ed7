import type * as ort from 'onnxruntime-node';
import { twoDimensionalPositions } from '@zhibing/kernels';
import { EngineError, ModelFolderError } from '../engine.errors';
import { DecoderIo } from './decoder-io';
import { checkModelInputs, type ModelDtype, type ModelFolder, readModelFolder } from './model-folder';
import { ModelPrompt } from './model-prompt';

export interface OnnxEngineOptions {
  modelDir: string;
  device?: 'cpu' | 'cuda';
  /**
   * Threads per operator. 1 suits small models and many concurrent conversations (batching
   * gives the parallelism); raise it for one large model on many cores.
   */
  threads?: number;
  /** The graph file to load (relative to modelDir or absolute); default: see readModelFolder. */
  modelFile?: string;
  /** For an Optimum / onnx-community export: which dtype's graph (default: fp32, else fp16, else q4…). */
  modelDtype?: ModelDtype;
  /**
   * Run the model in a worker process (default for createOnnxEngine) so that inference never
   * blocks the caller's event loop; false runs it on the calling thread.
   */
  worker?: boolean;
  /**
   * Prompt tokens (padding included) prefilled between two decode steps (default 512; one prompt
   * always goes, however long). Lower: smaller stalls for streams already decoding; higher: new
   * requests start sooner when many arrive at once.
   */
  prefillTokensPerStep?: number;
  /**
   * Prefill prompts that arrive together in one session call (default true). False prefills them
   * one per call: the baseline of the engine-moe benchmark's time-to-first-token.
   */
  batchedPrefill?: boolean;
}

export type HfTokenizer = {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
  token_to_id(token: string): number | undefined;
};

/** The text side of a model folder: its files, tokenizer and prompt rules (no session). */
export interface LoadedModelText {
  folder: ModelFolder;
  tokenizer: HfTokenizer;
  prompt: ModelPrompt;
}

/** Everything an engine needs from a model folder, loaded and checked. */
export interface LoadedOnnxModel extends LoadedModelText {
  ort: typeof import('onnxruntime-node');
  session: ort.InferenceSession;
  /** The graph's I/O element types (float16 caches and logits of exports). */
  io: DecoderIo;
}

/**
 * Opens a model folder's graph in onnxruntime and checks it against its config (inputs, 2-D
 * positions), with its tokenizer and prompt. Errors name the file; `device: 'cuda'` without the
 * CUDA build of onnxruntime-node is engine_device_unavailable.
 */
export async function loadOnnxModel(options: OnnxEngineOptions): Promise<LoadedOnnxModel> {
  const folder = readModelFolder(options.modelDir, { file: options.modelFile, dtype: options.modelDtype });
  const ortModule = await import('onnxruntime-node');
  let session: ort.InferenceSession;
  try {
    session = await ortModule.InferenceSession.create(folder.modelPath, {
      executionProviders: options.device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
      intraOpNumThreads: options.threads ?? 1,
    });
  } catch (error) {
    const message = (error as Error).message;
    if (options.device === 'cuda' && /cuda|provider/i.test(message)) {
      throw new EngineError(
        'engine_device_unavailable',
        'ZHIBING_DEVICE=cuda needs the CUDA build of onnxruntime-node and a CUDA runtime (install it without onnxruntime-node-install=skip on a CUDA machine), or use ZHIBING_DEVICE=cpu',
        { cause: error },
      );
    }
    throw new ModelFolderError(folder.modelPath, `onnxruntime could not load it (${message})`);
  }
  const metadata = (session as unknown as { inputMetadata?: { name: string; shape?: (number | string)[] }[] })
    .inputMetadata;
  checkModelInputs(folder, session.inputNames, (name) => metadata?.find?.((m) => m.name === name)?.shape);
  if (twoDimensionalPositions(folder.config) && !session.inputNames.includes('prefix_mask')) {
    const problem = 'config.json says position_encoding "2d" but the graph has no "prefix_mask" input';
    throw new ModelFolderError(folder.modelPath, problem);
  }
  const io = DecoderIo.fromSession(session, folder.modelPath);
  return { ort: ortModule, session, io, ...(await loadModelText(options, folder)) };
}

/** Reads a model folder's tokenizer and prompt rules, without opening its graph. */
export async function loadModelText(
  options: OnnxEngineOptions,
  folder = readModelFolder(options.modelDir, { file: options.modelFile, dtype: options.modelDtype }),
): Promise<LoadedModelText> {
  const { Tokenizer } = await import('@huggingface/tokenizers');
  const tokenizer = new Tokenizer(folder.tokenizerJson, {}) as unknown as HfTokenizer;
  return { folder, tokenizer, prompt: await ModelPrompt.create(folder, tokenizer) };
}
