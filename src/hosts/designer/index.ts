/**
 * The designer: a local web page with the definition's form and a live Test request. A host beside
 * the core (public entries only); `lambda-stream designer` starts it.
 */
export type { DesignerHandle, DesignerOptions } from './start-designer.js';
export { startDesigner } from './start-designer.js';
