import type { PlanEvents } from '../../src/definition/call-plan.js';
import { loadManifest } from '../../src/definition/load-manifest.js';

/** The packaged definition's event union (PayloadChunk, InvokeComplete and its fields), from its call plan. */
export const LAMBDA_RESPONSE_EVENTS: PlanEvents = loadManifest().plan.response.events!;
