/**
 * The call plan: a definition compiled once, at load, into what every stage of a call reads. No
 * stage reads the manifest's JSON: a second operation, or a renamed one, runs by changing only data.
 */
import type {
  BodyParameterDefinition,
  EndpointDefinition,
  HttpIntegrationDefinition,
  ModeledErrorDefinition,
  OperationDefinition,
  ResponseHeadersDefinition,
} from '../generated/manifest.js';

/** How the service classes an error for retries. */
export type RetryClass = 'throttling' | 'transient';

/** The settings the definition names (`settings[names.region]` is the region, and so on). */
export interface PlanSettingNames {
  readonly outputMode: string;
  readonly region: string;
  readonly endpoint: string;
  readonly useFipsEndpoint: string;
  readonly useDualstackEndpoint: string;
  readonly profile: string;
  readonly credentials: string;
}

/** The events of an event-stream response and the fields of its completion event. */
export interface PlanEvents {
  readonly chunkEventType: string;
  readonly completeEventType: string;
  readonly errorCodeField: string;
  readonly errorDetailsField: string;
  readonly logResultField: string;
  /** An event of another `:event-type`: skipped, or a `STREAM_MALFORMED` failure. */
  readonly unknownEvents: 'ignore' | 'error';
}

/** The response side of the call. */
export interface PlanResponse {
  /** `eventstream`: chunks in event-stream messages; `payload`: the body itself, buffered by the service. */
  readonly kind: 'eventstream' | 'payload';
  /** The media type the definition declares for the body. */
  readonly contentType: string;
  readonly successStatus: ReadonlySet<number>;
  /** Success statuses that carry no body (DryRun, an asynchronous invocation). */
  readonly emptyBodyStatus: ReadonlySet<number>;
  /** Header names: executed version, request id (first present wins), content type, function error, tail log. */
  readonly headers: ResponseHeadersDefinition;
  /** How the tail log arrives (in the completion event or its header). */
  readonly logResultEncoding: 'base64';
  /** Event-stream responses only. */
  readonly events: PlanEvents | undefined;
  /** The HTTP-integration prelude a streaming function may write first. */
  readonly httpIntegration: HttpIntegrationDefinition | undefined;
  /** The largest body a `payload` response may have. */
  readonly maxBytes: number | undefined;
}

/** How service error answers are read. */
export interface PlanErrors {
  readonly typeHeader: string;
  readonly retryAfterHeader: string | undefined;
  /** Body keys that may hold the message, in order. */
  readonly messageKeys: readonly string[];
  /** The modeled errors by name (status, fault, message key, retry class). */
  readonly modeled: ReadonlyMap<string, ModeledErrorDefinition>;
  /** The retry class of a named error; `undefined` when it is not retried by name. */
  readonly retryClassOf: (awsErrorType: string | undefined) => RetryClass | undefined;
}

/** Everything a call needs from its definition, frozen. */
export interface CallPlan {
  /** The operation's name (`InvokeWithResponseStream`, `Invoke`, …), for messages and reports. */
  readonly operationName: string;
  readonly method: OperationDefinition['method'];
  readonly pathTemplate: string;
  readonly endpoint: EndpointDefinition;
  /** Environment variables that override the endpoint, in order. */
  readonly endpointEnv: readonly string[];
  /** The SigV4 service name of the credential scope. */
  readonly signingName: string;
  /** Headers the signer adds (lower-cased). */
  readonly computedHeaders: ReadonlySet<string>;
  /** Where the region comes from after its setting: these variables in order, then the profile. */
  readonly regionEnv: readonly string[];
  readonly regionFromProfile: boolean;
  /** The variable that names the profile when the profile setting is unset. */
  readonly profileEnv: string;
  readonly settingNames: PlanSettingNames;
  readonly defaultOutputMode: 'aggregated' | 'chunked';
  readonly body: BodyParameterDefinition;
  /** The header parameters a caller may set (the schema's spelling), i.e. every header but the computed ones. */
  readonly callerHeaders: readonly string[];
  readonly response: PlanResponse;
  readonly errors: PlanErrors;
}
