#!/usr/bin/env node
// Sums the bad-input sweeps: every package's sweep test writes bad-input-results.json
// ({ package, counts: { typed, accepted, silent, untyped, mutated, total }, exemptions: [...] }).
// Prints one line per package and the totals, with the typed share of the cases that did not succeed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const total = { typed: 0, accepted: 0, silent: 0, untyped: 0, mutated: 0, total: 0 };
let exemptions = 0;
for (const group of ['packages', 'apps']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'bad-input-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    for (const k of Object.keys(total)) total[k] += r.counts[k] ?? 0;
    exemptions += (r.exemptions ?? []).length;
    console.log(`${r.package ?? name}: ${JSON.stringify(r.counts)}${r.exemptions?.length ? `, ${r.exemptions.length} exempt` : ''}`);
  }
}
const rejected = total.typed + total.silent + total.untyped + total.mutated;
const share = rejected === 0 ? 1 : total.typed / rejected;
console.log(
  `total: ${total.total} bad-input calls; ${total.typed} typed NotesError, ${total.accepted} accepted with finite results, ` +
    `${total.silent} silent NaN/Infinity, ${total.untyped} untyped, ${total.mutated} mutated inputs; ` +
    `typed share of the rest ${(100 * share).toFixed(2)} %; ${exemptions} exempt exports`,
);
