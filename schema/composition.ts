import { GraphQLError } from 'graphql';
import { compose, type SubgraphSource } from './compose';
import { compositionErrorDiagnostic, compositionHintDiagnostic, subgraphOfFile, type Diagnostic } from './diagnostics';
import { locateByName } from './locate-by-name';

/** A composition with its errors and hints located in the subgraphs' files. */
export interface Composition {
  supergraphSdl?: string;
  errors: Diagnostic[];
  hints: Diagnostic[];
}

/** Composes and turns composition's errors and hints into located diagnostics. */
export function composeWithDiagnostics(subgraphs: SubgraphSource[]): Composition {
  const ownerOf = subgraphOfFile(subgraphs);
  let result;
  try {
    result = compose(subgraphs);
  } catch (error) {
    // A subgraph that does not even parse: graphql's syntax error carries its own location.
    if (!(error instanceof GraphQLError)) throw error;
    return { errors: [compositionErrorDiagnostic(error, ownerOf)], hints: [] };
  }
  return {
    supergraphSdl: result.supergraphSdl,
    errors: (result.errors ?? []).map((error) => {
      const diagnostic = compositionErrorDiagnostic(error, ownerOf);
      return diagnostic.locations.length > 0 ? diagnostic : { ...diagnostic, locations: locateByName(error.message, subgraphs) };
    }),
    hints: (result.hints ?? []).map((hint) => compositionHintDiagnostic(hint, ownerOf)),
  };
}
