import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import gql from 'graphql-tag';
import { buildSchema, getIntrospectionQuery, getOperationAST, parse, validate, specifiedRules, type GraphQLSchema } from 'graphql';
import { DEFAULT_OPERATION_LIMITS, operationLimitProtection } from '../../gateway/operation-limits';
import { OperationCostModel, readCostDirectives } from '../../gateway/operation-cost';
import { coerceVariables } from '../../gateway/variable-coercion';
import { exampleTabs } from '../../gateway/graphiql/examples';
import { loadManifest } from '../../gateway/trusted-documents';

/** A conformance-suite-like schema: lists of objects holding lists, no size arguments anywhere. */
const SHOP = `
  type Query { topProducts: [Product!]! product(id: ID!): Product products(first: Int): [Product!]! }
  type Product { id: ID! name: String price: Money reviews: [Review!]! related: [Product!]! }
  type Review { id: ID! body: String author: User! }
  type User { id: ID! name: String reviews: [Review!]! account: Account }
  type Account { id: ID! }
  type Money { amount: Int currency: String }
  type Mutation { addReview(productId: ID!, body: String!): Review }
  enum Tier { VIP STANDARD }
  input ReviewInput { productId: ID! body: String! stars: Int! tier: Tier }
`;

function costOf(schema: GraphQLSchema, query: string, variables: Record<string, unknown> = {}, model = new OperationCostModel(schema, 10)) {
  const document = parse(query);
  expect(validate(schema, document, specifiedRules)).toEqual([]);
  return model.costOf(document, getOperationAST(document)!, variables);
}

describe('operation cost', () => {
  const shop = buildSchema(SHOP);

  it('costs objects 1, scalars 0 and a list its items times one item', () => {
    expect(costOf(shop, '{ product(id: "p") { id name } }')).toBe(1);
    expect(costOf(shop, '{ product(id: "p") { price { amount } } }')).toBe(2);
    // 10 products × (1 + 1 price)
    expect(costOf(shop, '{ topProducts { id price { amount } } }')).toBe(20);
  });

  it('takes a list size from the size argument the operation gives, variables included', () => {
    expect(costOf(shop, '{ products(first: 3) { id } }')).toBe(3);
    expect(costOf(shop, 'query P($n: Int) { products(first: $n) { id } }', { n: 500 })).toBe(500);
  });

  it('never costs introspection, so tools can send the standard introspection query', () => {
    expect(costOf(shop, getIntrospectionQuery())).toBe(0);
    expect(costOf(shop, '{ __typename topProducts { __typename id } }')).toBe(10);
  });

  it('accepts ordinary nested lists 3 deep with no size arguments, and refuses 4 deep, under the default limits', () => {
    const threeDeep = '{ topProducts { id name price { amount } reviews { id body author { id name reviews { id body } } } } }';
    const fourDeep = '{ topProducts { reviews { author { reviews { author { reviews { id } } } } } } }';
    expect(costOf(shop, threeDeep)).toBeLessThanOrEqual(DEFAULT_OPERATION_LIMITS.maxCost);
    expect(costOf(shop, fourDeep)).toBeGreaterThan(DEFAULT_OPERATION_LIMITS.maxCost);
  });

  it('counts a mutation root field as 10, as the cost spec does', () => {
    expect(costOf(shop, 'mutation { addReview(productId: "p", body: "b") { id author { id } } }')).toBe(11);
  });

  it('reads @listSize and @cost under the names the supergraph links them as', () => {
    const sdl = `
      schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", { name: "@listSize", as: "@size" }]) { query: Query }
      directive @link(url: String, as: String, for: String, import: [Import]) repeatable on SCHEMA
      scalar Import
      directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
      directive @size(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
      type Query {
        tags: [Tag!]! @size(assumedSize: 3)
        search(take: Int, first: Int): [Tag!]! @size(slicingArguments: ["take"])
        page(first: Int): TagConnection! @size(slicingArguments: ["first"], sizedFields: ["edges"])
        heavy: Tag @cost(weight: 50)
      }
      type Tag @cost(weight: 2) { id: ID! }
      type TagConnection { edges: [Tag!]! total: Int }
    `;
    const schema = buildSchema(sdl);
    const directives = readCostDirectives(sdl);
    const model = new OperationCostModel(schema, 10, directives);
    expect(model.slicingArguments).toContain('take');
    expect(costOf(schema, '{ tags { id } }', {}, model)).toBe(3 * 2);
    expect(costOf(schema, '{ search(take: 4, first: 100) { id } }', {}, model)).toBe(4 * 2);
    expect(costOf(schema, '{ search { id } }', {}, model)).toBe(10 * 2);
    expect(costOf(schema, '{ page(first: 5) { total edges { id } } }', {}, model)).toBe(1 + 5 * 2);
    expect(costOf(schema, '{ heavy { id } }', {}, model)).toBe(50);
  });

  it('reads what composition writes into the supergraph from subgraphs that import @listSize and @cost', () => {
    const composed = composeServices([
      {
        name: 'catalog',
        url: 'http://catalog.example/graphql',
        typeDefs: gql`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize", "@cost"])
          type Query {
            items(take: Int): [Item!]! @listSize(slicingArguments: ["take"])
            all: [Item!]! @listSize(assumedSize: 5)
          }
          type Item @key(fields: "id") @cost(weight: 3) { id: ID! }
        `,
      },
    ]);
    expect(composed.errors).toBeUndefined();
    const supergraphSdl = composed.supergraphSdl!;
    const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
    const model = new OperationCostModel(schema, 10, readCostDirectives(supergraphSdl));
    expect(costOf(schema, '{ all { id } }', {}, model)).toBe(5 * 3);
    expect(costOf(schema, '{ items(take: 2) { id } }', {}, model)).toBe(2 * 3);
  });

  it('accepts every operation clients send (the contract and the project) with their example variables', () => {
    const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
    const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
    const limits = operationLimitProtection(DEFAULT_OPERATION_LIMITS, supergraphSdl);
    const model = new OperationCostModel(schema, DEFAULT_OPERATION_LIMITS.defaultListSize, readCostDirectives(supergraphSdl));
    const tabs = exampleTabs(loadManifest());
    expect(tabs.length).toBeGreaterThanOrEqual(25);
    const costs: Record<string, number> = {};
    for (const tab of tabs) {
      const document = parse(tab.query);
      const operation = getOperationAST(document)!;
      expect(validate(schema, document, [...specifiedRules, ...limits.validationRules])).toEqual([]);
      // Only size arguments change a cost; the examples' other values (empty ids, inputs) do not.
      costs[operation.name!.value] = model.costOf(document, operation, JSON.parse(tab.variables));
    }
    expect(Object.entries(costs).filter(([, cost]) => cost > DEFAULT_OPERATION_LIMITS.maxCost)).toEqual([]);
    // The dashboard's one request stays far below the limit.
    expect(costs.EventMonetization).toBeLessThan(DEFAULT_OPERATION_LIMITS.maxCost / 10);
  });
});

describe('variable coercion before the limits', () => {
  const shop = buildSchema(SHOP);
  const operation = (query: string) => getOperationAST(parse(query))!;
  const review = operation('query R($input: ReviewInput!, $ids: [ID!], $n: Int) { product(id: "p") { id } }');

  it.each([
    ['a missing required variable', {}, 'input'],
    ['an Int above 2^31', { input: { productId: 'p', body: 'b', stars: 2 ** 31 } }, 'input.stars'],
    ['an enum typo', { input: { productId: 'p', body: 'b', stars: 1, tier: 'VIPP' } }, 'input.tier'],
    ['an unknown input field', { input: { productId: 'p', body: 'b', stars: 1, colour: 'red' } }, 'input'],
    ['a mistyped list item', { input: { productId: 'p', body: 'b', stars: 1 }, ids: ['a', {}] }, 'ids[1]'],
    ['a string for an Int', { input: { productId: 'p', body: 'b', stars: 1 }, n: 'ten' }, 'n'],
  ])('refuses %s as BAD_USER_INPUT naming the field', (_what, variables, field) => {
    const result = coerceVariables(shop, review, variables);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(result.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  it('coerces good values and applies defaults', () => {
    const withDefault = operation('query D($n: Int = 7) { products(first: $n) { id } }');
    expect(coerceVariables(shop, withDefault, {})).toEqual({ coerced: { n: 7 } });
    expect(coerceVariables(shop, withDefault, { n: 2 })).toEqual({ coerced: { n: 2 } });
  });
});
