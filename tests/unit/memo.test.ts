import { memoize } from '../../kernel/memo';

describe('memoize', () => {
  it('computes once per key, and past its capacity starts over', () => {
    const computed: string[] = [];
    const upper = memoize(2, (text: string) => text, (text) => {
      computed.push(text);
      return text.toUpperCase();
    });
    expect([upper('a'), upper('a'), upper('b'), upper('a')]).toEqual(['A', 'A', 'B', 'A']);
    expect(computed).toEqual(['a', 'b']);
    // A third key clears the two remembered: each is computed again when next asked.
    expect(upper('c')).toBe('C');
    expect(upper('a')).toBe('A');
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });
});
