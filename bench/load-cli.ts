import { readFileSync } from 'node:fs';
import { runJob, type LoadJob } from './load';
import { runSubscriptionJob, type SubscriptionJob } from './subscription-load';

/** `node --import tsx bench/load-cli.ts job.json`: runs one load job, prints its result as JSON. */
const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadJob | SubscriptionJob;
(job.mode === 'subscriptions' ? runSubscriptionJob(job) : runJob(job))
  .then((result) => {
    process.stdout.write(JSON.stringify(result));
    // graphql-ws clients and keep-alive sockets may linger a moment after dispose: the result is out.
    process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
