import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { parse, print, type DefinitionNode, type DocumentNode, visit } from 'graphql';
import type { Logger } from '../kernel/logger';

export type TrustedDocumentsMode = 'off' | 'log' | 'enforce';

/** sha256 of the normalized document → the document and the operation it holds. */
export type TrustedDocumentManifest = Record<string, { operationName: string; document: string }>;

export const TRUSTED_DOCUMENTS_FILE = path.resolve(__dirname, 'generated', 'trusted-documents.json');

/** Printing a parsed document drops whitespace, comments and commas, so equal operations hash alike. */
export function normalizeDocument(document: DocumentNode | string): string {
  return print(typeof document === 'string' ? parse(document) : document);
}

export function documentHash(normalized: string): string {
  return createHash('sha256').update(normalized).digest('hex');
}

/**
 * Splits a file of operations into one document per operation, each with the fragments it uses,
 * the way clients send them.
 */
export function operationDocuments(source: string): { operationName: string; document: string }[] {
  const parsed = parse(source);
  const fragments = new Map(
    parsed.definitions.filter((d) => d.kind === 'FragmentDefinition').map((d) => [(d as { name: { value: string } }).name.value, d]),
  );
  return parsed.definitions
    .filter((definition) => definition.kind === 'OperationDefinition')
    .map((operation) => {
      const used = new Map<string, DefinitionNode>();
      const collect = (node: DefinitionNode) =>
        visit(node, {
          FragmentSpread(spread) {
            const fragment = fragments.get(spread.name.value);
            if (fragment && !used.has(spread.name.value)) {
              used.set(spread.name.value, fragment);
              collect(fragment);
            }
          },
        });
      collect(operation);
      const document: DocumentNode = { kind: parsed.kind, definitions: [operation, ...used.values()] };
      return { operationName: (operation as { name?: { value: string } }).name?.value ?? 'anonymous', document: normalizeDocument(document) };
    });
}

/**
 * The check graphql-ws operations get: in `enforce` mode only manifest documents pass; `log` mode
 * reports the others and lets them through.
 */
export function trustedOperationCheck(
  mode: TrustedDocumentsMode,
  manifest: TrustedDocumentManifest,
  logger: Logger,
): ((document: DocumentNode) => boolean) | undefined {
  if (mode === 'off') return undefined;
  return (document) => {
    if (documentHash(normalizeDocument(document)) in manifest) return true;
    if (mode === 'log') logger.warn('untrusted operation over graphql-ws (trusted documents in log mode)');
    return mode === 'log';
  };
}

export function loadManifest(file = TRUSTED_DOCUMENTS_FILE): TrustedDocumentManifest {
  return JSON.parse(readFileSync(file, 'utf8')) as TrustedDocumentManifest;
}

/**
 * Accepts only known operations in `enforce` mode (by full text, or by hash alone through
 * `documentId` / `extensions.persistedQuery.sha256Hash`), reports unknown ones in `log` mode.
 * Runs before Apollo parses anything, so a refused operation costs nothing downstream.
 */
export function trustedDocumentsMiddleware(mode: TrustedDocumentsMode, manifest: TrustedDocumentManifest, logger: Logger): RequestHandler {
  const refuse = (res: Parameters<RequestHandler>[1]) =>
    res.status(400).json({
      errors: [{ message: 'Only trusted operations are accepted here.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    });
  return (req, res, next) => {
    if (mode === 'off') return next();
    // GET can carry an operation in its query string; only POST bodies are checked, so in enforce
    // mode nothing else may run an operation.
    if (req.method !== 'POST') {
      if (mode === 'enforce' && req.method !== 'OPTIONS') return refuse(res);
      return next();
    }
    if (typeof req.body !== 'object' || req.body === null) return mode === 'enforce' ? refuse(res) : next();
    const body = req.body as { query?: unknown; documentId?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
    const hash = typeof body.documentId === 'string' ? body.documentId : body.extensions?.persistedQuery?.sha256Hash;
    if (typeof body.query !== 'string' && typeof hash === 'string') {
      const known = manifest[hash.replace(/^sha256:/, '')];
      if (known) {
        body.query = known.document;
        return next();
      }
      return refuse(res);
    }
    if (typeof body.query !== 'string') return next();
    let trusted = false;
    try {
      trusted = documentHash(normalizeDocument(body.query)) in manifest;
    } catch {
      // Unparseable text is left to Apollo, which answers it with a syntax error.
      return mode === 'enforce' ? refuse(res) : next();
    }
    if (trusted) return next();
    if (mode === 'log') {
      logger.warn({ operationName: req.body.operationName }, 'untrusted operation (trusted documents in log mode)');
      return next();
    }
    return refuse(res);
  };
}
