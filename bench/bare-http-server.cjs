// A bare Node HTTP server for `npm run bench:subgraph-requests`: reads the JSON body, answers
// `{ __typename }`'s JSON. What one HTTP request with a JSON body costs on this machine.
const http = require('node:http');

const answer = JSON.stringify({ data: { __typename: 'Query' } });
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}/graphql` }));
