import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../schema/compose';
import type { CheckReport } from '../../schema/check';
import { FIXTURE_OPERATIONS, FIXTURE_SUBGRAPHS_DIR, fixtureSupergraph, proposalPath } from '../support/schema-fixtures';

let dir: string;
let base: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'schema-check-cli-'));
  base = path.join(dir, 'supergraph.graphql');
  writeFileSync(base, fixtureSupergraph());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const fixtureArgs = ['--subgraphs-dir', FIXTURE_SUBGRAPHS_DIR, '--base', base, '--operations', FIXTURE_OPERATIONS];
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'schema/check-cli.ts', ...fixtureArgs, ...args], { cwd: REPO_ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('npm run schema:check (the CLI)', () => {
  it('exits 1 with a JSON report naming the breaking change and the operation it breaks', async () => {
    const { code, stdout } = await checkCli(['--subgraph', 'offers', '--schema', proposalPath('offers-without-title'), '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as CheckReport;
    expect(report.passed).toBe(false);
    expect(report.changes).toEqual([expect.objectContaining({ level: 'breaking', path: 'Offer.title', usedBy: [{ name: 'OfferDetail', file: 'tests/fixtures/schema/operations/dashboard.graphql' }] })]);
    expect(report.operations.filter((operation) => !operation.valid).map((operation) => operation.errors.map((error) => error.coordinate))).toEqual([['Offer.title']]);
  });

  it('exits 0 on a safe change and says so in words by default', async () => {
    const { code, stdout } = await checkCli(['--subgraph', 'offers', '--schema', proposalPath('offers-with-subtitle')]);
    expect(code).toBe(0);
    expect(stdout).toContain('SAFE      Field \'subtitle\' was added to object type \'Offer\'');
    expect(stdout.trim().split('\n').at(-1)).toBe('schema check passed');
  });

  it('exits 2 on bad usage', async () => {
    const { code, stderr } = await checkCli(['--subgraph', 'offers']);
    expect(code).toBe(2);
    expect(stderr).toContain('--subgraph and --schema go together');
  });
});
