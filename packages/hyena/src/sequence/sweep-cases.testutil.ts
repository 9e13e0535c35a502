/** Bad-input sweep cases of the sequence model exports (filled in with the sequence model). */
export function sweepCasesSequence(): { name: string; export?: string; call: (...args: never[]) => unknown; args: () => unknown[]; options?: number; allowInfinity?: boolean }[] {
  return [];
}
