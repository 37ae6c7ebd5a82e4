// Enqueue one task input on a queue that `lambda-stream worker` processes, and print its job id.
//   node enqueue.mjs redis://127.0.0.1:6379 tasks '{"path":{"FunctionName":"tokens"},"settings":{"outputMode":"chunked"}}'
import { createClient } from 'lambda-stream-task/bullmq';

const [redis, queue, input] = process.argv.slice(2);
const client = createClient({ connection: redis, queue });
const { jobId } = await client.enqueue(JSON.parse(input));
console.log(jobId);
await client.close();
