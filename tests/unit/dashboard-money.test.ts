import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const WEB_SRC = path.resolve(__dirname, '../../web/src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) return entry === 'generated' || entry === 'graphql' ? [] : sources(file);
    return /\.(ts|tsx)$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [file] : [];
  });
}

/**
 * The dashboard shows money only from the server's `Money.formatted`: no division into major units,
 * no currency formatting of its own, no arithmetic on amounts.
 */
describe('money in the dashboard', () => {
  const files = sources(WEB_SRC);

  it('finds the dashboard sources', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each([
    ['no division by 100', /\/\s*100\b/],
    ['no multiplication by 100', /\*\s*100\b/],
    ['no currency formatting of its own', /style:\s*['"]currency['"]|currencyDisplay/],
    ['no arithmetic on amountCents', /amountCents\s*[-+*/%]|[-+*/%]\s*[\w.?]*amountCents/],
    ['no toFixed on amounts', /\.toFixed\(/],
  ])('%s', (_rule, pattern) => {
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, where: `${path.relative(WEB_SRC, file)}:${index + 1}` }))
        .filter(({ line }) => pattern.test(line))
        .map(({ where, line }) => `${where}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
