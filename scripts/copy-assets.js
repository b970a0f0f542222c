// Copies the SDL and JSON files tsc does not emit into dist/, beside the compiled code that reads them.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const folders = ['subgraphs', 'schema', 'demo', 'gateway'];

function copy(dir) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) copy(relative);
    else if (/\.(graphql|json)$/.test(entry.name)) {
      fs.mkdirSync(path.join(root, 'dist', dir), { recursive: true });
      fs.copyFileSync(path.join(root, relative), path.join(root, 'dist', relative));
    }
  }
}

for (const folder of folders) copy(folder);
