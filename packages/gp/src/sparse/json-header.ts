import { DomainError, describeValue } from '@notes/core-linalg';

/**
 * Checks the header every sparse/deep GP model JSON starts with: an object whose `kind` and `version` are the
 * expected ones (`SGPRModel`, `SVGPModel`, `DeepGPModel` `fromJSON`).
 * @throws DomainError naming `json` or the kind/version found.
 * @internal
 */
export function checkJSONHeader(where: string, json: unknown, kind: string, version: number): void {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new DomainError(`${where}: argument 'json' must be an object, got ${describeValue(json)}`);
  const { kind: k, version: v } = json as { kind?: unknown; version?: unknown };
  if (k !== kind || v !== version) throw new DomainError(`${where}: expected kind '${kind}', version ${version}, got ${describeValue(k)}, ${describeValue(v)}`);
}
