import { specifiedRules, validate, type GraphQLError, type GraphQLSchema } from 'graphql';
import { KnownOperationTypesRule } from './known-operation-types';
import { operationUsage } from './operation-usage';
import type { Operation } from './operations';

/** Why an operation does not validate: graphql's message and the coordinate it points at. */
export interface OperationError {
  message: string;
  /** `Offer.title`, `Query.activeOffers.limit`, `CreateOfferInput.priceCents`… when known. */
  coordinate?: string;
  file: string;
  line?: number;
  column?: number;
}

/** graphql reports a missing required argument on the field; name the argument itself. */
const MISSING_ARGUMENT = /^Field "[^"]+" argument "([^"]+)" of type "[^"]+" is required/;
const MISSING_DIRECTIVE_ARGUMENT = /^Directive "@[^"]+" argument "([^"]+)" of type "[^"]+" is required/;

function coordinateOf(error: GraphQLError, coordinates: Map<unknown, string>): string | undefined {
  const node = error.nodes?.find((candidate) => coordinates.has(candidate));
  const coordinate = node ? coordinates.get(node) : undefined;
  const missing = MISSING_ARGUMENT.exec(error.message) ?? MISSING_DIRECTIVE_ARGUMENT.exec(error.message);
  return coordinate && missing ? `${coordinate}.${missing[1]}` : coordinate;
}

/** Validates one operation against an API schema with graphql's rules. */
export function validateOperation(schema: GraphQLSchema, operation: Operation): OperationError[] {
  const errors = validate(schema, operation.document, [...specifiedRules, KnownOperationTypesRule]);
  if (errors.length === 0) return [];
  const { coordinateOf: coordinates } = operationUsage(schema, operation.document);
  return errors.map((error) => ({
    message: error.message,
    coordinate: coordinateOf(error, coordinates),
    file: operation.file,
    ...error.locations?.[0],
  }));
}
