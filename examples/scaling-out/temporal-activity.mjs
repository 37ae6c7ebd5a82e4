// The task as a Temporal activity. Register `activities` with your Temporal worker:
//   const worker = await Worker.create({ taskQueue: 'tasks', workflowsPath, activities });
// and call it from a workflow with a heartbeat timeout, so a dead worker's attempt is retried:
//   const { lambdaStream } = proxyActivities({ startToCloseTimeout: '10m', heartbeatTimeout: '30s' });
//   const summary = await lambdaStream({ path: { FunctionName: 'tokens' }, settings: { outputMode: 'chunked' } });
import { createLambdaStreamActivity } from 'lambda-stream-task/temporal';

export const received = [];
export const activities = {
  lambdaStream: createLambdaStreamActivity({
    // Where chunks go while the call streams: here a list; in production a queue, socket or stream.
    onEvent: (event) => {
      if (event.type === 'chunk') received.push(event.data);
    },
  }),
};
