import type { SubgraphSource } from '../../schema/compose';
import { lintSubgraphs, type LintFinding } from '../../schema/lint';
import { fixtureSubgraphs } from '../support/schema-fixtures';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external"])';

function subgraph(name: string, sdl: string): SubgraphSource {
  return { name, url: `http://${name}.invalid/graphql`, sdl: `${LINK}\n${sdl}` };
}

const codes = (findings: LintFinding[]) => findings.map((finding) => `${finding.severity} ${finding.code}`);
const errors = (findings: LintFinding[]) => findings.filter((finding) => finding.severity === 'error');

describe('schema lint', () => {
  it('finds nothing in a consistent repository', () => {
    expect(lintSubgraphs(fixtureSubgraphs())).toEqual([]);
  });

  describe('entity keys', () => {
    it('refuses a key selecting a field the type does not have, pointing at the @key', () => {
      const findings = lintSubgraphs([subgraph('offers', '"An offer."\ntype Offer @key(fields: "sku") { id: ID! }')]);
      expect(findings).toEqual([
        expect.objectContaining({
          severity: 'error',
          code: 'ENTITY_KEY_INVALID',
          message: expect.stringContaining('selects sku'),
          locations: [{ subgraph: 'offers', file: '<offers>', line: 3, column: 12 }],
        }),
      ]);
    });

    it('refuses an entity only referenced with resolvable: false, and accepts it once a subgraph resolves it', () => {
      const reference = subgraph('ads', '"An offer."\ntype Offer @key(fields: "id", resolvable: false) { id: ID! }\n"An ad."\ntype Ad @key(fields: "id") { id: ID! offer: Offer }');
      expect(codes(lintSubgraphs([reference]))).toEqual(['error ENTITY_KEY_UNRESOLVABLE']);
      const resolver = subgraph('offers', '"An offer."\ntype Offer @key(fields: "id") { id: ID! title: String }');
      expect(lintSubgraphs([reference, resolver])).toEqual([]);
    });

    it('refuses a reference by a key no subgraph resolves by, even when another key is resolvable', () => {
      const reference = subgraph('ads', '"An offer."\ntype Offer @key(fields: "sku", resolvable: false) { sku: String! }');
      const resolver = subgraph('offers', '"An offer."\ntype Offer @key(fields: "id") { id: ID! sku: String! }');
      expect(codes(lintSubgraphs([reference, resolver]))).toEqual(['error ENTITY_KEY_UNRESOLVABLE']);
    });

    it('follows nested key fields into their types', () => {
      const sdl = '"A seat."\ntype Seat @key(fields: "row { number } id") { id: ID! row: Row! }\n"A row."\ntype Row { number: Int! }';
      expect(lintSubgraphs([subgraph('waitlist', sdl)])).toEqual([]);
      expect(errors(lintSubgraphs([subgraph('waitlist', sdl.replace('number: Int!', 'label: String!'))]))[0].message).toContain('row.number');
    });
  });

  describe('Money for every amount', () => {
    it.each([
      ['an output field in cents', '"An offer."\ntype Offer { priceCents: Int! }', 'Offer.priceCents'],
      ['an output amount as a Float', '"A purchase."\ntype Purchase { totalAmount: Float }', 'Purchase.totalAmount'],
      ['an output price as an Int', '"An offer."\ntype Offer { price: Int! }', 'Offer.price'],
      ['cents in an input as a Float', '"Input."\ninput CreateOfferInput { priceCents: Float! }', 'CreateOfferInput.priceCents'],
      ['a bare amount argument', '"An offer."\ntype Offer { id: ID! }\ntype Query { "Cheap offers." offers(maxPrice: Int): [Offer!]! }', 'Query.offers(maxPrice: Int)'],
      ['a Money whose cents are not Int', '"Money."\ntype Money { amountCents: Float! currency: String! }', 'Money.amountCents'],
    ])('refuses %s', (_, sdl, coordinate) => {
      const findings = lintSubgraphs([subgraph('offers', sdl)]);
      expect(codes(findings)).toEqual(['error MONEY_FOR_AMOUNTS']);
      expect(findings[0].message).toContain(coordinate);
    });

    it('accepts Money outputs, integer cents in inputs and Money inputs', () => {
      const sdl = [
        '"Money." type Money { amountCents: Int! currency: String! }',
        '"Money in." input MoneyInput { amountCents: Int! currency: String! }',
        '"An offer." type Offer { price: Money! originalPrice: Money amount: Money }',
        '"Input." input CreateOfferInput { priceCents: Int! originalPrice: MoneyInput }',
      ].join('\n');
      expect(lintSubgraphs([subgraph('offers', sdl)])).toEqual([]);
    });

    it("leaves a Money input's own parts alone, such as the amount as typed text beside its cents", () => {
      const sdl = '"Money in." input MoneyInput { amountCents: Int amount: String currency: String }';
      expect(lintSubgraphs([subgraph('offers', sdl)])).toEqual([]);
    });
  });

  describe('descriptions', () => {
    it('warns about public types and root fields without one, without failing', () => {
      const findings = lintSubgraphs([subgraph('offers', 'type Offer { id: ID! }\ntype Query { offer: Offer }')]);
      expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
        ['warning', 'type Offer has no description'],
        ['warning', 'root field Query.offer has no description'],
      ]);
    });

    it('counts a description given by any subgraph sharing the type', () => {
      const described = subgraph('offers', '"An event." type Event @key(fields: "id") { id: ID! }');
      const bare = subgraph('ads', 'type Event @key(fields: "id") { id: ID! }');
      expect(lintSubgraphs([described, bare])).toEqual([]);
    });
  });

  describe('@shareable consistency', () => {
    const money = '"Money." type Money @shareable { amountCents: Int! currency: String! formatted: String! }';

    it('refuses a shareable value type lacking a field another subgraph gives it, at the lacking definition', () => {
      const findings = lintSubgraphs([subgraph('offers', money), subgraph('ads', money.replace(' formatted: String!', ''))]);
      expect(findings).toEqual([
        expect.objectContaining({
          code: 'SHAREABLE_FIELDS_DIFFER',
          message: 'shareable type Money has no field formatted in ads, but has it in offers',
          locations: [expect.objectContaining({ subgraph: 'ads' })],
        }),
      ]);
    });

    it('refuses a field shared with different types or arguments', () => {
      const typed = lintSubgraphs([subgraph('offers', money), subgraph('ads', money.replace('amountCents: Int!', 'amountCents: Int'))]);
      expect(codes(typed)).toEqual(['error SHAREABLE_FIELD_TYPES_DIFFER']);
      expect(typed[0].locations.map((location) => location.subgraph)).toEqual(['offers', 'ads']);
      const argued = lintSubgraphs([subgraph('offers', money), subgraph('ads', money.replace('formatted: String!', 'formatted(locale: String): String!'))]);
      expect(codes(argued)).toEqual(['error SHAREABLE_FIELD_TYPES_DIFFER']);
    });

    it('lets entities differ in fields, each subgraph contributing its own', () => {
      const offers = subgraph('offers', '"An event." type Event @key(fields: "id") { id: ID! offers: [String!]! }');
      const ads = subgraph('ads', '"An event." type Event @key(fields: "id") { id: ID! ads: [String!]! }');
      expect(lintSubgraphs([offers, ads])).toEqual([]);
    });
  });

  it('reports a subgraph that does not parse with its location', () => {
    expect(lintSubgraphs([subgraph('offers', 'type Offer {')])).toEqual([
      expect.objectContaining({ code: 'SYNTAX_ERROR', locations: [expect.objectContaining({ subgraph: 'offers', line: 2 })] }),
    ]);
  });

  it('reads federation directives under the names the subgraph imports them as', () => {
    const renamed = {
      name: 'offers',
      url: 'http://offers.invalid/graphql',
      sdl: 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [{ name: "@key", as: "@entity" }])\n"An offer." type Offer @entity(fields: "sku") { id: ID! }',
    };
    expect(codes(lintSubgraphs([renamed]))).toEqual(['error ENTITY_KEY_INVALID']);
  });
});
