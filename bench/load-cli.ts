import { readFileSync } from 'node:fs';
import { runJob, type LoadJob } from './load';

/** `node --import tsx bench/load-cli.ts job.json`: runs one load job, prints its result as JSON. */
runJob(JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadJob)
  .then((result) => process.stdout.write(JSON.stringify(result)))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
