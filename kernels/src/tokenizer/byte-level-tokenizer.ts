/**
 * GPT-2's reversible map from bytes to printable characters, which byte-level BPE tokenizers
 * use so that every byte sequence (any UTF-8 text) has a token spelling.
 */
export function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const chars: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++)
    chars[b] = printable.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  return chars;
}

/**
 * A Hugging Face tokenizer.json for test models: byte-level BPE with the 256 byte tokens and no
 * merges (so any text round-trips exactly), plus the given special tokens after them. Real
 * models bring their own tokenizer.json; this one exists so CI can run the real loading code.
 */
export function byteLevelTokenizerJson(specialTokens: string[]): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  bytesToUnicode().forEach((char, id) => {
    vocab[char] = id;
  });
  const added = specialTokens.map((content, i) => ({
    id: 256 + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  for (const token of added) vocab[token.content] = token.id;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: [],
    },
  };
}
