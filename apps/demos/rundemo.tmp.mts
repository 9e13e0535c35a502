const file = process.argv[2];
const d = (await import(file)).default;
const r = await d.run({ seed: 42, log: (m: string) => console.log(m) });
console.log(r.metrics);
