/** Shows a repository file copied into the site (notes text, code, test) with line numbers; `?file=…&line=N` scrolls to N. */
const params = new URLSearchParams(location.search);
const file = params.get('file') ?? 'docs/notes/notes.txt';
const line = Number(params.get('line') ?? '0');
const pre = document.getElementById('text') as HTMLPreElement;
(document.getElementById('path') as HTMLElement).textContent = line > 0 ? `${file}:${line}` : file;
if (!/^[\w./-]+$/.test(file) || file.includes('..')) {
  pre.textContent = 'bad file name';
} else {
  fetch(`repo/${file}`)
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${r.status} ${r.statusText}`))))
    .then((text) => {
      pre.textContent = '';
      text.split('\n').forEach((l, i) => {
        const row = document.createElement('span');
        row.id = `L${i + 1}`;
        row.className = i + 1 === line ? 'line hit' : 'line';
        row.textContent = `${String(i + 1).padStart(5)}  ${l}\n`;
        pre.append(row);
      });
      if (line > 0) document.getElementById(`L${line}`)?.scrollIntoView({ block: 'center' });
    })
    .catch((e: Error) => {
      pre.textContent = `could not load ${file}: ${e.message}`;
    });
}
