import { validate } from 'graphql';
import { compose, workingTreeSubgraphs } from '../../schema/compose';
import { contractOperation } from '../support/analytics';

describe("the clients' analytics operations against the composed supergraph", () => {
  const composition = compose(workingTreeSubgraphs());
  if (composition.errors) throw new Error(composition.errors.map((error) => error.message).join('\n'));
  const apiSchema = composition.schema.toAPISchema().toGraphQLJSSchema();

  it.each([
    ['analytics.graphql', 'MonetizationAnalytics'],
    ['analytics.graphql', 'ExportMonetizationReport'],
    ['dashboard-event.graphql', 'EventMonetization'],
  ])('validates %s %s', (file, name) => {
    expect(validate(apiSchema, contractOperation(file, name)).map((error) => error.message)).toEqual([]);
  });

  it('declares Money in analytics exactly as offers does, so the shareable type composes', () => {
    const money = (sdl: string) => /type Money @shareable \{[^}]*\}/.exec(sdl)?.[0];
    const [offers, analytics] = ['offers', 'analytics'].map((name) => workingTreeSubgraphs().find((subgraph) => subgraph.name === name)!.sdl);
    expect(money(analytics)).toBeDefined();
    expect(money(analytics)).toBe(money(offers));
  });
});
