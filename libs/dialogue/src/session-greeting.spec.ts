import { randomUUID } from 'node:crypto';
import { chatPersonaKey, sessionGreeting } from './session-greeting';

describe('sessionGreeting', () => {
  const persona = { greeting: '你好！', alternateGreetings: ['又见面了！', '欢迎回来。'] };

  it('picks the same greeting for the same conversation every time', () => {
    const id = randomUUID();
    const first = sessionGreeting(persona, id);
    expect([persona.greeting, ...persona.alternateGreetings]).toContain(first);
    for (let i = 0; i < 5; i++) expect(sessionGreeting({ ...persona }, id)).toBe(first);
  });

  it('spreads conversations over the greeting and every alternate', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const greeting = sessionGreeting(persona, randomUUID());
      counts.set(greeting, (counts.get(greeting) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([persona.greeting, ...persona.alternateGreetings].sort());
    // 300 draws over 3 choices: each well above zero (expected 100; below 50 is astronomically unlikely).
    for (const count of counts.values()) expect(count).toBeGreaterThan(50);
  });

  it('keeps the greeting when there are no alternates', () => {
    expect(sessionGreeting({ greeting: 'Hi!' }, randomUUID())).toBe('Hi!');
    expect(sessionGreeting({ greeting: 'Hi!', alternateGreetings: [] }, randomUUID())).toBe('Hi!');
  });
});

describe('chatPersonaKey', () => {
  it('tells visitors apart, and a name from no name', () => {
    const keys = new Set([
      chatPersonaKey('w', 'p', 1, null),
      chatPersonaKey('w', 'p', 1, undefined),
      chatPersonaKey('w', 'p', 1, '小明'),
      chatPersonaKey('w', 'p', 1, '小红'),
      chatPersonaKey('w', 'p', 2, '小明'),
      // A name with the separator in it cannot pose as another version.
      chatPersonaKey('w', 'p:1', 1, null),
    ]);
    expect(keys.size).toBe(5);
    expect(chatPersonaKey('w', 'p', 1, null)).toBe(chatPersonaKey('w', 'p', 1, undefined));
  });
});
