// `node bench/compiled-host.cjs <checkout>`: bench/subgraph-host.ts loading the checkout's compiled
// `dist/` (see bench/build.ts). tsx is registered only while the host's own TypeScript loads, so
// the subgraphs' code, and every `require` it makes while serving, runs on plain Node, as in production.
const { register } = require('tsx/cjs/api');

const unregister = register();
require('./subgraph-host.ts');
unregister();
