/** "你" / "您" addressing one person (not 你们, not the greeting 你好). */
const SECOND_PERSON = /[你您](?![们好])/g;

/**
 * The user's words with the persona named where the user says "you": "你住在哪里？" asks about
 * 林黛玉 when 林黛玉 is the one asked, so selection can link the persona's own entity and facts.
 */
export function nameTheAddressee(text: string, personaName: string): string {
  return text.replace(SECOND_PERSON, personaName);
}

/** Whether the utterance says "you" to one person. */
export function addressesSomeone(text: string): boolean {
  return new RegExp(SECOND_PERSON.source).test(text);
}
