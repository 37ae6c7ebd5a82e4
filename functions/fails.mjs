// Writes some output, logs, then throws: the error arrives in InvokeComplete (ErrorCode, ErrorDetails).
// Payload: { "message"?: string }.
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write('partial output before the failure\n');
  console.log('about to fail');
  await new Promise((resolve) => setTimeout(resolve, 10));
  console.error('failing now');
  throw new Error(typeof event?.message === 'string' ? event.message : 'Something went wrong');
});
