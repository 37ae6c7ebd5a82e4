import type { Manifest } from '../generated/manifest.js';
import type { CallPlan, PlanEvents, PlanResponse, RetryClass } from './call-plan.js';

function eventsOf(response: Manifest['response']): PlanEvents | undefined {
  if (response.kind !== 'eventstream') return undefined;
  const { chunk, complete, unknownEvents } = response.events;
  return {
    chunkEventType: chunk.eventType,
    completeEventType: complete.eventType,
    errorCodeField: complete.fields.errorCode,
    errorDetailsField: complete.fields.errorDetails,
    logResultField: complete.fields.logResult,
    unknownEvents,
  };
}

function responseOf(response: Manifest['response']): PlanResponse {
  return {
    kind: response.kind,
    contentType: response.contentType,
    successStatus: new Set(response.successStatus),
    emptyBodyStatus: new Set(response.emptyBodyStatus),
    headers: response.headers,
    logResultEncoding:
      response.kind === 'eventstream' ? response.events.complete.logResultEncoding : 'base64',
    events: eventsOf(response),
    httpIntegration: response.kind === 'eventstream' ? response.httpIntegration : undefined,
    maxBytes: response.kind === 'payload' ? response.maxBytes : undefined,
  };
}

/**
 * Compile a checked manifest into its call plan. `headerNames` are the header parameters of the
 * definition's header schema (its spelling). Sets and maps are built here, once per definition,
 * so no call builds a table.
 * @example
 * const plan = compilePlan(manifest, ['X-Amz-Log-Type', 'Authorization']);
 * plan.response.events?.chunkEventType; // 'PayloadChunk'
 */
export function compilePlan(m: Manifest, headerNames: readonly string[]): CallPlan {
  const computed = new Set(m.auth.computedHeaders.map((h) => h.toLowerCase()));
  const retryTable = new Map<string, RetryClass>();
  for (const error of m.errors.modeled) if (error.retry !== 'none') retryTable.set(error.name, error.retry);
  return {
    operationName: m.operation.name,
    method: m.operation.method,
    pathTemplate: m.operation.pathTemplate,
    endpoint: m.operation.endpoint,
    endpointEnv: m.operation.endpoint.override.env ?? [],
    signingName: m.auth.signingName,
    computedHeaders: computed,
    regionEnv: m.auth.region.env,
    regionFromProfile: m.auth.region.fromProfile,
    profileEnv: m.auth.credentials.profileEnv,
    settingNames: {
      outputMode: m.outputs.modeSetting,
      region: m.auth.region.setting,
      endpoint: m.operation.endpoint.override.setting,
      useFipsEndpoint: m.operation.endpoint.fipsSetting,
      useDualstackEndpoint: m.operation.endpoint.dualstackSetting,
      profile: m.auth.credentials.profileSetting,
      credentials: m.auth.credentials.setting,
    },
    defaultOutputMode: m.outputs.default,
    body: m.parameters.body,
    callerHeaders: headerNames.filter((name) => !computed.has(name.toLowerCase())),
    response: responseOf(m.response),
    errors: {
      typeHeader: m.errors.typeHeader,
      retryAfterHeader: m.errors.retryAfterHeader,
      messageKeys: m.errors.messageKeys,
      modeled: new Map(m.errors.modeled.map((e) => [e.name, e])),
      retryClassOf: (name) => (name === undefined ? undefined : retryTable.get(name)),
    },
  };
}
