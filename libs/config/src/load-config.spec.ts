import { ConfigError } from './config.errors';
import { loadConfig } from './load-config';

describe('loadConfig', () => {
  it('has laptop defaults: embedded PGlite in ./data, port 3000, retrieval responder', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: expect.stringMatching(/data$/) });
    expect(config.engine).toEqual({ kind: 'retrieval' });
    expect(config.adminKey).toBeUndefined();
    expect(config.embedder).toEqual({ kind: 'hashing' });
  });

  it('configures an ONNX sentence encoder folder or an OpenAI-compatible embeddings server', () => {
    expect(loadConfig({ ZHIBING_EMBEDDER: 'onnx', ZHIBING_EMBEDDER_MODEL_DIR: 'models/bge' }).embedder).toEqual({
      kind: 'onnx',
      modelDir: expect.stringMatching(/models\/bge$/),
    });
    const env = {
      ZHIBING_EMBEDDER: 'openai',
      ZHIBING_EMBEDDER_URL: 'http://gpu:11434',
      ZHIBING_EMBEDDER_MODEL: 'bge-m3',
    };
    expect(loadConfig({ ...env, ZHIBING_EMBEDDER_API_KEY: 'k', ZHIBING_EMBEDDER_DIMENSIONS: '1024' }).embedder).toEqual(
      {
        kind: 'openai',
        url: 'http://gpu:11434',
        model: 'bge-m3',
        apiKey: 'k',
        dimensions: 1024,
      },
    );
    expect(loadConfig({ ...env, ZHIBING_EMBEDDER_DIMENSIONS: '' }).embedder).toMatchObject({ dimensions: undefined });
  });

  it('chooses the graph of an exported model folder by file or by dtype, and names a bad dtype', () => {
    const env = { ZHIBING_ENGINE: 'onnx', ZHIBING_MODEL_DIR: 'models/glm-edge' };
    expect(loadConfig(env).engine).toEqual({
      kind: 'onnx',
      modelDir: expect.stringMatching(/glm-edge$/),
      device: 'cpu',
      modelFile: undefined,
      modelDtype: undefined,
    });
    expect(loadConfig({ ...env, ZHIBING_MODEL_DTYPE: 'fp16' }).engine).toMatchObject({ modelDtype: 'fp16' });
    expect(loadConfig({ ...env, ZHIBING_MODEL_FILE: 'onnx/model_q4.onnx' }).engine).toMatchObject({
      modelFile: 'onnx/model_q4.onnx',
    });
    expect(() => loadConfig({ ...env, ZHIBING_MODEL_DTYPE: 'fp8' })).toThrow(/ZHIBING_MODEL_DTYPE/);
  });

  it('uses the Postgres server when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db',
    });
  });

  it("reads the remote engine's deadlines, with defaults", () => {
    const remote = { ZHIBING_ENGINE: 'remote', ZHIBING_REMOTE_URL: 'http://h:8000/v1' };
    expect(loadConfig(remote).engine).toMatchObject({
      kind: 'remote',
      firstTokenTimeoutMs: 60_000,
      idleTimeoutMs: 30_000,
    });
    expect(loadConfig({ ...remote, ZHIBING_REMOTE_IDLE_TIMEOUT_MS: '120000' }).engine).toMatchObject({
      idleTimeoutMs: 120_000,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ZHIBING_ADMIN_KEY: 'short' }, 'ZHIBING_ADMIN_KEY'],
    [{ ZHIBING_ADMIN_KEY: 'operator-secret-without-prefix' }, 'ZHIBING_ADMIN_KEY'],
    [{ ZHIBING_ENGINE: 'gpt' }, 'ZHIBING_ENGINE'],
    [{ ZHIBING_ENGINE: 'onnx' }, 'ZHIBING_MODEL_DIR'],
    [{ ZHIBING_ENGINE: 'remote' }, 'ZHIBING_REMOTE_URL'],
    [{ ZHIBING_REMOTE_IDLE_TIMEOUT_MS: 'soon' }, 'ZHIBING_REMOTE_IDLE_TIMEOUT_MS'],
    [{ ZHIBING_REMOTE_FIRST_TOKEN_TIMEOUT_MS: '5' }, 'ZHIBING_REMOTE_FIRST_TOKEN_TIMEOUT_MS'],
    [{ ZHIBING_EMBEDDER: 'bert' }, 'ZHIBING_EMBEDDER'],
    [{ ZHIBING_EMBEDDER: 'onnx' }, 'ZHIBING_EMBEDDER_MODEL_DIR'],
    [{ ZHIBING_EMBEDDER: 'openai', ZHIBING_EMBEDDER_MODEL: 'm' }, 'ZHIBING_EMBEDDER_URL'],
    [{ ZHIBING_EMBEDDER: 'openai', ZHIBING_EMBEDDER_URL: 'http://h' }, 'ZHIBING_EMBEDDER_MODEL'],
    [{ ZHIBING_EMBEDDER_URL: 'ftp://h' }, 'ZHIBING_EMBEDDER_URL'],
    [{ ZHIBING_EMBEDDER_DIMENSIONS: 'wide' }, 'ZHIBING_EMBEDDER_DIMENSIONS'],
    [{ ZHIBING_EMBEDDER_DIMENSIONS: '0' }, 'ZHIBING_EMBEDDER_DIMENSIONS'],
  ])('rejects %j naming %s', (env, variable) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe('config_invalid');
    expect((caught as ConfigError).problems.map((p) => p.variable)).toContain(variable);
    expect((caught as ConfigError).message).toContain(variable);
  });
});
