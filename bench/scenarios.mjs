// What the benchmark measures, in one place: the server reads the sizes, the harness and the clients
// read the rest. `--quick` shrinks every size and count for a smoke run; the shape stays the same.

const MiB = 1024 * 1024;

/** Byte sizes and server-side delays. */
export function scenarioSizes(quick) {
  return {
    bulkBytes: (quick ? 4 : 64) * MiB,
    hugeBytes: (quick ? 16 : 256) * MiB,
    pauseAfterFirstMs: quick ? 30 : 50,
    lateFirstChunkMs: 200,
  };
}

/**
 * Client names. `ours-*` call the built package (dist/), `sdk` is @aws-sdk/client-lambda, `raw` is node:http.
 * `ours-chunked` is chunked mode in the default `utf8` encoding; `ours-base64` and `ours-bytes` are
 * chunked mode in those encodings; `ours-aggregated` is one aggregated result (default encoding).
 */
export const CLIENTS = ['raw', 'sdk', 'ours-chunked', 'ours-aggregated'];

/** Output encoding of each of our clients (the SDK and raw always hand out bytes). */
export const ENCODINGS = {
  'ours-chunked': 'utf8',
  'ours-base64': 'base64',
  'ours-bytes': 'bytes',
  'ours-aggregated': 'utf8',
};

/** Text payloads: every client, and `bytes`; binary payloads: each chunked encoding beside the SDK and raw. */
const TEXT_CLIENTS = [...CLIENTS, 'ours-bytes'];
const BINARY_CLIENTS = ['raw', 'sdk', 'ours-chunked', 'ours-base64', 'ours-bytes'];

/** A 64 MiB throughput scenario (two timed calls; one in the quick run). */
function throughput(id, title, fn, clients, quick) {
  return {
    id,
    title,
    fn,
    kind: 'throughput',
    clients,
    calls: quick ? 1 : 2,
    metric: { key: 'mibPerSec', unit: 'MiB/s', higher: true },
  };
}

/**
 * Each scenario: which server function it calls, which clients take part, how many calls a process
 * makes, and `metric` — the median the ratios are computed on (`higher` says which way is better).
 */
export function scenarios(quick) {
  return [
    throughput('throughput-32k', '64 MiB in 32 KiB chunks, text', 'bench-bulk-32k', TEXT_CLIENTS, quick),
    throughput(
      'throughput-32k-binary',
      '64 MiB in 32 KiB chunks, binary',
      'bench-binary-32k',
      BINARY_CLIENTS,
      quick,
    ),
    throughput('throughput-1k', '64 MiB in 1 KiB chunks, text', 'bench-bulk-1k', TEXT_CLIENTS, quick),
    throughput(
      'throughput-1k-binary',
      '64 MiB in 1 KiB chunks, binary',
      'bench-binary-1k',
      BINARY_CLIENTS,
      quick,
    ),
    {
      id: 'sequential-small',
      title: '2,000 sequential 100-byte calls',
      fn: 'bench-small',
      kind: 'sequential',
      clients: CLIENTS,
      calls: quick ? 100 : 2000,
      warmup: quick ? 10 : 50,
      metric: { key: 'medianMs', unit: 'ms', higher: false },
    },
    {
      id: 'concurrent-small',
      title: '6,400 calls, 64 in flight',
      fn: 'bench-small',
      kind: 'concurrent',
      clients: CLIENTS,
      calls: quick ? 640 : 6400,
      inFlight: 64,
      warmup: quick ? 10 : 50,
      metric: { key: 'callsPerSec', unit: 'calls/s', higher: true },
    },
    {
      id: 'first-chunk',
      title: 'time to first chunk (server pauses after it)',
      fn: 'bench-first-then-pause',
      kind: 'first-chunk',
      clients: ['raw', 'sdk', 'ours-chunked'],
      calls: quick ? 3 : 20,
      warmup: quick ? 2 : 10,
      metric: { key: 'medianMs', unit: 'ms', higher: false },
    },
    {
      id: 'status-known',
      title: 'status + executed version known (first chunk 200 ms late)',
      fn: 'bench-late-first-chunk',
      kind: 'status',
      clients: ['raw', 'sdk', 'ours-chunked'],
      calls: quick ? 2 : 5,
      warmup: quick ? 2 : 10,
      metric: { key: 'medianMs', unit: 'ms', higher: false },
    },
    {
      id: 'rss-chunked',
      title: 'RSS growth, 256 MiB chunk by chunk',
      fn: 'bench-huge',
      kind: 'rss',
      aggregate: false,
      clients: ['raw', 'sdk', 'ours-chunked'],
      calls: 1,
      warmup: 5,
      metric: { key: 'rssGrowthMiB', unit: 'MiB', higher: false },
    },
    {
      id: 'rss-aggregated',
      title: 'peak RSS growth, 256 MiB aggregated',
      fn: 'bench-huge',
      kind: 'rss',
      aggregate: true,
      clients: ['raw', 'sdk', 'ours-aggregated'],
      calls: 1,
      warmup: 5,
      metric: { key: 'rssGrowthPerPayload', unit: '× payload', higher: false },
    },
    {
      id: 'cold-start',
      title: 'cold start: import + first call',
      fn: 'bench-small',
      kind: 'cold',
      clients: ['raw', 'sdk', 'ours-aggregated'],
      calls: 1,
      metric: { key: 'totalMs', unit: 'ms', higher: false },
    },
  ];
}

/** The paired ratios the harness reports for every scenario where both clients took part. */
export const RATIOS = [
  { id: 'ours-chunked/raw', num: 'ours-chunked', den: 'raw' },
  { id: 'ours-aggregated/raw', num: 'ours-aggregated', den: 'raw' },
  { id: 'sdk/raw', num: 'sdk', den: 'raw' },
  { id: 'ours-chunked/sdk', num: 'ours-chunked', den: 'sdk' },
  { id: 'ours-aggregated/sdk', num: 'ours-aggregated', den: 'sdk' },
  { id: 'ours-base64/raw', num: 'ours-base64', den: 'raw' },
  { id: 'ours-bytes/raw', num: 'ours-bytes', den: 'raw' },
  { id: 'ours-base64/sdk', num: 'ours-base64', den: 'sdk' },
  { id: 'ours-bytes/sdk', num: 'ours-bytes', den: 'sdk' },
];
