import { Kind, print, type TypeNode } from 'graphql';
import { at, type LintFinding, type LintRule, type LintSubgraph } from './model';

/** Names that hold an amount of money. */
const AMOUNT_NAME = /(cents|price|amount)$/i;
const CENTS_NAME = /cents$/i;
const MINOR_UNIT_TYPES = new Set(['Int', 'MinorUnits']);

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** An input type that carries integer cents (a Money input): it has an `amountCents: Int` field. */
function isMoneyInput(subgraph: LintSubgraph, typeName: string): boolean {
  const field = subgraph.types.get(typeName)?.kind === 'input' ? subgraph.types.get(typeName)?.fields.get('amountCents') : undefined;
  return field !== undefined && namedType(field.type) === 'Int';
}

/**
 * Money is used for every amount (the contract: integer cents plus a currency, formatted in one
 * place). Output fields named like an amount are `Money`; inputs and arguments are integer cents
 * (`…Cents: Int`) or a Money input (an input with `amountCents: Int`, whose own fields are exempt).
 */
export const moneyForAmounts: LintRule = (subgraphs) => {
  const findings: LintFinding[] = [];
  for (const subgraph of subgraphs) {
    for (const type of subgraph.types.values()) {
      for (const field of type.fields.values()) {
        const name = field.name.value;
        const coordinate = `${type.name}.${name}`;
        const typeText = print(field.type);
        if (type.kind === 'input') {
          // A Money input's own fields are the parts of the amount (cents, currency, typed text).
          if (isMoneyInput(subgraph, type.name)) continue;
          const problem = inputAmountProblem(subgraph, name, field.type);
          if (problem) findings.push({ severity: 'error', code: 'MONEY_FOR_AMOUNTS', message: `${coordinate}: ${typeText} ${problem}`, locations: at(subgraph, field) });
          continue;
        }
        if (type.name === 'Money' && name === 'amountCents') {
          // MinorUnits: a whole number like Int, exact past 2^31 − 1 (totals and revenue get there).
          if (!MINOR_UNIT_TYPES.has(namedType(field.type))) {
            findings.push({ severity: 'error', code: 'MONEY_FOR_AMOUNTS', message: `${coordinate}: ${typeText} holds whole minor units: make it MinorUnits! (or Int!)`, locations: at(subgraph, field) });
          }
        } else if (AMOUNT_NAME.test(name) && namedType(field.type) !== 'Money') {
          findings.push({
            severity: 'error',
            code: 'MONEY_FOR_AMOUNTS',
            message: `${coordinate}: ${typeText} is an amount: make it Money (integer cents and a currency)`,
            locations: at(subgraph, field),
          });
        }
        for (const argument of 'arguments' in field ? (field.arguments ?? []) : []) {
          const problem = inputAmountProblem(subgraph, argument.name.value, argument.type);
          if (problem) {
            findings.push({ severity: 'error', code: 'MONEY_FOR_AMOUNTS', message: `${coordinate}(${argument.name.value}: ${print(argument.type)}) ${problem}`, locations: at(subgraph, argument) });
          }
        }
      }
    }
  }
  return findings;
};

function inputAmountProblem(subgraph: LintSubgraph, name: string, type: TypeNode): string | undefined {
  if (!AMOUNT_NAME.test(name)) return undefined;
  const named = namedType(type);
  if (CENTS_NAME.test(name)) return named === 'Int' ? undefined : 'is an amount in cents: make it Int';
  return isMoneyInput(subgraph, named) ? undefined : 'is an amount: name it …Cents with type Int, or use an input with amountCents: Int';
}
