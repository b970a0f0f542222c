import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SUPERGRAPH_PATH, subgraphFromFiles, workingTreeSubgraphs } from '../../schema/compose';
import { composeWithDiagnostics } from '../../schema/composition';
import { formatDiagnostic } from '../../schema/diagnostics';
import { lintSubgraphs } from '../../schema/lint';
import { readSubgraphFiles } from '../../schema/sources';
import { SUBGRAPH_NAMES } from '../../kernel/config';
import { readSubgraphSdl } from '../../kernel/subgraph/sdl';
import { fixtureSubgraphs } from '../support/schema-fixtures';

describe('schema composition', () => {
  it('composes the working tree into exactly the committed supergraph', () => {
    const composition = composeWithDiagnostics(workingTreeSubgraphs());
    expect(composition.errors.map(formatDiagnostic)).toEqual([]);
    expect(composition.supergraphSdl).toBe(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  });

  it("lints the working tree's subgraphs without errors", () => {
    const findings = lintSubgraphs(workingTreeSubgraphs());
    expect(findings.filter((finding) => finding.severity === 'error').map(formatDiagnostic)).toEqual([]);
  });

  it.each(SUBGRAPH_NAMES)('reads the %s subgraph from the same files, in the same order, as its server', (name) => {
    const folder = path.join(REPO_ROOT, 'subgraphs', name);
    expect(subgraphFromFiles(name, readSubgraphFiles(folder)).sdl).toBe(readSubgraphSdl(folder));
  });

  it('locates an error in the second file of a subgraph at that file, line and column', () => {
    const subgraphs = fixtureSubgraphs().map((subgraph) =>
      subgraph.name !== 'ads'
        ? subgraph
        : subgraphFromFiles('ads', subgraph.files!.map((file) => (file.path.endsWith('event.graphql') ? { ...file, sdl: file.sdl.replace('[Ad!]!', '[Add!]!') } : file))),
    );
    const composition = composeWithDiagnostics(subgraphs);
    expect(composition.supergraphSdl).toBeUndefined();
    expect(composition.errors.map(formatDiagnostic)).toEqual([
      'error [INVALID_GRAPHQL] [ads] Unknown type Add\n    at ads tests/fixtures/schema/repo/ads/event.graphql:5:9',
    ]);
  });

  it('locates a type defined twice in one subgraph at both definitions, though composition gives no nodes', () => {
    const subgraphs = fixtureSubgraphs().map((subgraph) =>
      subgraph.name !== 'ads'
        ? subgraph
        : subgraphFromFiles('ads', [...subgraph.files!, { path: path.join(REPO_ROOT, 'tests/fixtures/schema/repo/ads/money-again.graphql'), sdl: '"Money."\ntype Money @shareable { amountCents: Int! }' }]),
    );
    expect(composeWithDiagnostics(subgraphs).errors).toEqual([
      expect.objectContaining({
        message: '[ads] There can be only one type named "Money"',
        locations: [
          { subgraph: 'ads', file: 'tests/fixtures/schema/repo/ads/schema.graphql', line: 5, column: 1 },
          { subgraph: 'ads', file: 'tests/fixtures/schema/repo/ads/money-again.graphql', line: 2, column: 1 },
        ],
      }),
    ]);
  });

  it('reports a syntax error with the subgraph and position instead of throwing', () => {
    const subgraphs = [...fixtureSubgraphs(), { name: 'broken', url: 'http://broken.invalid/graphql', sdl: 'type Query {\n  x: \n}' }];
    expect(composeWithDiagnostics(subgraphs).errors).toEqual([
      expect.objectContaining({ code: 'COMPOSITION_ERROR', locations: [{ subgraph: 'broken', file: '<broken>', line: 3, column: 1 }] }),
    ]);
  });

  it('reports hints with the subgraphs and locations they concern', () => {
    const subgraphs = fixtureSubgraphs().map((subgraph) =>
      subgraph.name !== 'ads' ? subgraph : subgraphFromFiles('ads', subgraph.files!.map((file) => ({ ...file, sdl: file.sdl.replace('amountCents: Int!', 'amountCents: Int') }))),
    );
    const composition = composeWithDiagnostics(subgraphs);
    expect(composition.errors).toEqual([]);
    expect(composition.hints).toEqual([
      expect.objectContaining({
        severity: 'hint',
        code: 'INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE',
        locations: [
          { subgraph: 'ads', file: 'tests/fixtures/schema/repo/ads/schema.graphql', line: 7, column: 3 },
          { subgraph: 'offers', file: 'tests/fixtures/schema/repo/offers/schema.graphql', line: 7, column: 3 },
        ],
      }),
    ]);
  });
});
