import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCheck, type CheckReport } from '../../schema/check';
import { REPO_ROOT, SUPERGRAPH_PATH, workingTreeSubgraphs } from '../../schema/compose';
import { FIXTURE_OPERATIONS, fixtureSubgraphs, fixtureSupergraph, proposalPath } from '../support/schema-fixtures';
import type { ProposalName } from '../fixtures/schema/proposals';

const base = fixtureSupergraph();

function checkProposal(proposal?: ProposalName, options: { allowUnusedBreaking?: boolean } = {}): Promise<CheckReport> {
  return runCheck({ subgraphs: fixtureSubgraphs(proposal), baseSupergraphSdl: base, operations: [FIXTURE_OPERATIONS], ...options });
}

const changesAt = (report: CheckReport, path: string) => report.changes.filter((change) => change.path === path);
const usersOf = (report: CheckReport, path: string) => changesAt(report, path).flatMap((change) => change.usedBy.map((user) => user.name));
const broken = (report: CheckReport) => report.operations.filter((operation) => !operation.valid);

describe('schema check of proposed subgraph changes', () => {
  it('passes on a consistent repository, validating every operation', async () => {
    const report = await checkProposal();
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.changes).toEqual([]);
    expect(report.lint).toEqual([]);
    expect(report.composition.hints).toEqual([]);
    expect(report.operations.map((operation) => [operation.name, operation.valid])).toEqual([
      ['OfferDetail', true],
      ['ActiveOffers', true],
      ['ActiveOfferIds', true],
      ['EventAds', true],
      ['CreateOffer', true],
    ]);
  });

  it('refuses removing Offer.title: breaking, and the dashboard operation selecting it no longer validates', async () => {
    const report = await checkProposal('offers-without-title');
    expect(report.passed).toBe(false);
    expect(changesAt(report, 'Offer.title')).toEqual([expect.objectContaining({ level: 'breaking', type: 'FIELD_REMOVED' })]);
    expect(usersOf(report, 'Offer.title')).toEqual(['OfferDetail']);
    expect(broken(report)).toEqual([
      expect.objectContaining({
        name: 'OfferDetail',
        brokenBefore: false,
        errors: [expect.objectContaining({ coordinate: 'Offer.title', line: 5, column: 5 })],
      }),
    ]);
  });

  it('accepts adding a nullable field as safe', async () => {
    const report = await checkProposal('offers-with-subtitle');
    expect(report.passed).toBe(true);
    expect(changesAt(report, 'Offer.subtitle').map((change) => change.level)).toContain('safe');
    expect(report.changes.every((change) => change.level === 'safe')).toBe(true);
  });

  it('refuses making an argument required, naming the argument in each operation it breaks', async () => {
    const report = await checkProposal('offers-limit-required');
    expect(report.passed).toBe(false);
    expect(changesAt(report, 'Query.activeOffers.limit')).toEqual([expect.objectContaining({ level: 'breaking', type: 'FIELD_ARGUMENT_TYPE_CHANGED' })]);
    // ActiveOfferIds does not pass the argument: making it required breaks it all the same.
    expect(usersOf(report, 'Query.activeOffers.limit').sort()).toEqual(['ActiveOfferIds', 'ActiveOffers']);
    expect(broken(report).map((operation) => [operation.name, operation.errors.map((error) => error.coordinate)])).toEqual([
      ['ActiveOffers', ['Query.activeOffers.limit']],
      ['ActiveOfferIds', ['Query.activeOffers.limit']],
    ]);
  });

  it('refuses changing a field from Int to Float, though every operation still validates', async () => {
    const report = await checkProposal('offers-available-float');
    expect(report.passed).toBe(false);
    expect(changesAt(report, 'OfferInventory.available')).toEqual([expect.objectContaining({ level: 'breaking', type: 'FIELD_TYPE_CHANGED' })]);
    expect(broken(report)).toEqual([]);
    expect(report.operations.find((operation) => operation.name === 'OfferDetail')?.breakingChanges).toEqual(['OfferInventory.available']);
    expect(report.failures).toEqual([expect.stringContaining('breaking change OfferInventory.available is used by OfferDetail')]);
  });

  it('rates adding an enum value as dangerous and lets it pass, naming the operations that read the enum', async () => {
    const report = await checkProposal('offers-bundle-type');
    expect(report.passed).toBe(true);
    expect(changesAt(report, 'OfferType.BUNDLE')).toEqual([expect.objectContaining({ level: 'dangerous', type: 'ENUM_VALUE_ADDED' })]);
    expect(usersOf(report, 'OfferType.BUNDLE').sort()).toEqual(['CreateOffer', 'OfferDetail']);
  });

  it('reports a composition conflict between two subgraphs with each subgraph, file, line and column', async () => {
    const report = await checkProposal('offers-float-money');
    expect(report.passed).toBe(false);
    expect(report.composition.errors).toEqual([
      expect.objectContaining({
        code: 'FIELD_TYPE_MISMATCH',
        locations: [
          { subgraph: 'ads', file: 'tests/fixtures/schema/repo/ads/schema.graphql', line: 7, column: 3 },
          { subgraph: 'offers', file: proposalPath('offers-float-money'), line: 8, column: 3 },
        ],
      }),
    ]);
    expect(report.operations).toEqual([]);
    expect(report.failures[0]).toMatch(/^composition failed/);
  });

  it('refuses a breaking change no known operation uses unless it is explicitly allowed', async () => {
    const refused = await checkProposal('offers-without-placement');
    expect(refused.passed).toBe(false);
    expect(changesAt(refused, 'Offer.placement')).toEqual([expect.objectContaining({ level: 'breaking', usedBy: [] })]);
    expect(refused.failures).toEqual([expect.stringContaining('used by no known operation')]);

    const allowed = await checkProposal('offers-without-placement', { allowUnusedBreaking: true });
    expect(allowed.passed).toBe(true);
  });

  it('fails when an operation pattern matches no file, rather than checking nothing', async () => {
    const report = await runCheck({ subgraphs: fixtureSubgraphs(), baseSupergraphSdl: base, operations: ['tests/fixtures/schema/nowhere/*.graphql'] });
    expect(report.passed).toBe(false);
    expect(report.unmatchedOperationPatterns).toEqual(['tests/fixtures/schema/nowhere/*.graphql']);
  });

  it("passes on the repository as committed, with the project's own operations", async () => {
    const report = await runCheck({
      subgraphs: workingTreeSubgraphs(),
      baseSupergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      operations: [path.join(REPO_ROOT, 'schema', 'operations', '*.graphql')],
    });
    expect(report.failures).toEqual([]);
    expect(report.operations.length).toBeGreaterThan(0);
  });
});
