// A downstream step on another machine: print a job's chunks as the call streams (from the first
// chunk, however late it starts), and say so when the job started again on another worker.
//   node consumer.mjs redis://127.0.0.1:6379 tasks JOB_ID
import { createClient } from 'lambda-stream-task/bullmq';

const [redis, queue, jobId] = process.argv.slice(2);
const client = createClient({ connection: redis, queue });
let status = 0;
for await (const event of client.job(jobId).events) {
  if (event.type === 'chunk') process.stdout.write(event.data);
  if (event.type === 'restart')
    process.stderr.write(
      `restart: attempt ${event.attempt} (${event.reason}), ignore the ${event.previousChunks} chunk(s) before\n`,
    );
  if (event.type === 'error') {
    process.stderr.write(`error: ${event.code}: ${event.message}\n`);
    status = 1;
  }
}
await client.close();
process.exitCode = status;
