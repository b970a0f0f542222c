import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, validate, type GraphQLSchema } from 'graphql';
import { contractDocument, contractSelection } from '../support/contract-operations';

/** The API schema clients see: the committed supergraph without its federation machinery. */
function apiSchema(): GraphQLSchema {
  const sdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
  return Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
}

describe("the contract's ad operations against the composed supergraph", () => {
  const schema = apiSchema();

  it('validates every operation of ads.graphql', () => {
    const document = contractDocument('ads.graphql');
    const names = document.definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION ? [definition.name?.value] : [],
    );
    expect(names).toEqual(['AdsForContext', 'CreateAd', 'TrackAdImpression', 'TrackAdClick']);
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });

  it("validates the ads part of the dashboard's EventMonetization operation", () => {
    const ads = contractSelection('dashboard-event.graphql', 'EventMonetization', ['event', 'ads']);
    const document = parse(`query($eventId: ID!) { event(id: $eventId) { id ads { ${ads} } } }`);
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });

  it('would notice a field the supergraph lacks, so the check can fail', () => {
    const document = parse('{ adsForContext(eventId: "e", placement: "p") { degraded ads { id sponsorSecret } } }');
    expect(validate(schema, document)).not.toHaveLength(0);
  });
});
