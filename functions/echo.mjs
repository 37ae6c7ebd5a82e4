// Streams the invocation's payload back as JSON.
// Invoke with any JSON payload; with {"repeat": N} the payload is sent N times, one chunk each.
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const text = JSON.stringify(event);
  const repeat = Number.isInteger(event?.repeat) && event.repeat > 0 ? Math.min(event.repeat, 1000) : 1;
  for (let i = 0; i < repeat; i += 1) {
    if (!responseStream.write(text)) await new Promise((resolve) => responseStream.once('drain', resolve));
  }
  responseStream.end();
});
