import { MAX_MESSAGE_CHARS, ZhibingError } from '@zhibing/protocol';

/** A message's text as stored (trimmed), or the typed error saying why it cannot be (visitor or operator). */
export function messageText(raw: string): string {
  const text = raw.trim();
  if (text.length === 0) throw new ZhibingError('message_invalid', 'The message is empty');
  if (text.includes('\u0000'))
    throw new ZhibingError('message_invalid', 'The message contains a NUL character (U+0000)');
  if (raw.length > MAX_MESSAGE_CHARS)
    throw new ZhibingError('message_too_large', `A message may have at most ${MAX_MESSAGE_CHARS} characters`);
  return text;
}
