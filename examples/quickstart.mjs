/**
 * Script task of the quick-start workflow. It runs while the upstream `tokens` call is still
 * streaming: `input.chunks` yields each chunk event as it arrives, and this prints it at once.
 *
 * @param {{ prefix?: string, chunks: AsyncIterable<{ seq: number, data: string, encoding: string }> }} input
 * @param {{ print(text: string): void }} context
 * @returns {Promise<{ text: string, count: number }>} the collected text and how many chunks arrived
 */
export async function printTokens(input, context) {
  let text = '';
  let count = 0;
  for await (const chunk of input.chunks) {
    const token =
      chunk.encoding === 'base64' ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    context.print(`${input.prefix ?? ''}${JSON.stringify(token)}\n`);
    text += token;
    count += 1;
  }
  return { text, count };
}
