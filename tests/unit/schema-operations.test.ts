import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSchema, validate } from 'graphql';
import { operationUsage } from '../../schema/operation-usage';
import { validateOperation } from '../../schema/operation-validation';
import { loadOperations, operationFiles, type Operation } from '../../schema/operations';

const schema = buildSchema(`
  enum OfferType { PHYSICAL DIGITAL }
  input MoneyInput { amountCents: Int! currency: String! }
  input CreateOfferInput { title: String! type: OfferType! price: MoneyInput! }
  type Offer { id: ID! title: String! type: OfferType! }
  type Query { offer(id: ID!): Offer offers(first: Int, type: OfferType): [Offer!]! preview(input: CreateOfferInput!): Offer }
`);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'schema-operations-'));
  writeFileSync(path.join(dir, 'a.graphql'), 'query One($id: ID!) { offer(id: $id) { ...Parts } }\nquery Two { offers(first: 2, type: DIGITAL) { id } }');
  writeFileSync(path.join(dir, 'b.graphql'), 'fragment Parts on Offer { id ...More }\nfragment More on Offer { title }');
  writeFileSync(path.join(dir, 'broken.gql'), 'query {');
  writeFileSync(path.join(dir, 'notes.txt'), 'not an operation');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function operation(source: string): Operation {
  const file = path.join(dir, `inline-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(file, source);
  return loadOperations([file]).operations[0];
}

describe('operation files', () => {
  it('takes a folder, a wildcard pattern or a file', () => {
    expect(operationFiles(dir, '/').map((file) => path.basename(file))).toEqual(expect.arrayContaining(['a.graphql', 'b.graphql']));
    expect(operationFiles(dir, '/').map((file) => path.basename(file))).not.toContain('broken.gql');
    expect(operationFiles(path.join(dir, '*.gql'), '/').map((file) => path.basename(file))).toEqual(['broken.gql']);
    expect(operationFiles('a.graphql', dir)).toEqual([path.join(dir, 'a.graphql')]);
    expect(operationFiles(path.join(dir, 'missing', '*.graphql'), '/')).toEqual([]);
  });

  it('gives each operation the fragments it spreads, across files and through other fragments', () => {
    const { operations, unparsable } = loadOperations([path.join(dir, 'a.graphql'), path.join(dir, 'b.graphql')]);
    expect(unparsable).toEqual([]);
    expect(operations.map((op) => [op.name, op.document.definitions.length])).toEqual([
      ['One', 3],
      ['Two', 1],
    ]);
    expect(operations.map((op) => validateOperation(schema, op))).toEqual([[], []]);
  });

  it('reports a file that does not parse instead of throwing', () => {
    expect(loadOperations([path.join(dir, 'broken.gql')]).unparsable).toEqual([
      expect.objectContaining({ message: expect.stringContaining('Syntax Error'), line: 1, column: 8 }),
    ]);
  });
});

describe('operation validation', () => {
  it("refuses a mutation against a schema without a Mutation type (graphql 16's validate alone accepts it)", () => {
    const mutation = operation('mutation Create { createOffer { id } }');
    expect(validate(schema, mutation.document)).toEqual([]);
    expect(validateOperation(schema, mutation)).toEqual([expect.objectContaining({ coordinate: 'Mutation', message: expect.stringContaining('no mutation type') })]);
  });

  it.each([
    ['a missing field', 'query Q { offer(id: "1") { price } }', 'Offer.price'],
    ['an unknown argument', 'query Q { offers(last: 1) { id } }', 'Query.offers.last'],
    ['a missing required argument', 'query Q { offer { id } }', 'Query.offer.id'],
    ['a variable of the wrong type', 'query Q($first: String) { offers(first: $first) { id } }', 'Query.offers.first'],
    ['an unknown enum value', 'query Q { offers(type: BUNDLE) { id } }', 'Query.offers.type'],
    ['a literal input field of the wrong type', 'query Q { preview(input: { title: 1, type: DIGITAL, price: { amountCents: 1, currency: "USD" } }) { id } }', 'CreateOfferInput.title'],
    ['a missing nested input field', 'query Q { preview(input: { title: "t", type: DIGITAL, price: { amountCents: 1 } }) { id } }', 'CreateOfferInput.price'],
    ['an unknown variable type', 'query Q($input: OfferInput) { offers { id } }', 'OfferInput'],
  ])('names the coordinate behind %s', (_, source, coordinate) => {
    const errors = validateOperation(schema, operation(source));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].coordinate).toBe(coordinate);
  });
});

describe('operation usage', () => {
  it('collects fields, arguments, and every type a variable carries', () => {
    const { coordinates } = operationUsage(schema, operation('query Q($id: ID!, $input: CreateOfferInput) { offer(id: $id) { title type } }').document);
    expect([...coordinates].sort()).toEqual(
      ['CreateOfferInput', 'ID', 'MoneyInput', 'Int', 'String', 'OfferType', 'Offer', 'Offer.title', 'Offer.type', 'Query', 'Query.offer', 'Query.offer.id'].sort(),
    );
  });

  it('still names fields the schema does not have by their parent type', () => {
    const { coordinates } = operationUsage(schema, operation('query Q { offer(id: "1") { removed } }').document);
    expect(coordinates).toContain('Offer.removed');
  });
});
