import { Ajv, type AnySchemaObject, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module
// object, so take `.default` when it is there.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

/** The ajv instance type, exported for the modules that compile with it. */
export type AjvInstance = Ajv;

/** A compiled custom keyword: reports its own error objects through `errors`. */
interface DataValidateFunction {
  (data: unknown): boolean;
  errors?: Partial<ErrorObject>[];
}

/**
 * Annotation keywords of our schemas that ajv does not know. `tsType` is read by the type generator;
 * the `x-` ones by the designer. Declared so ajv's strict mode still rejects a misspelt real keyword.
 */
const ANNOTATIONS = ['tsType', 'x-secret', 'x-fileReferencePrefix', 'x-patternDescription'] as const;

/** Base64 decoded size without decoding: 3 bytes per 4 characters, less the padding. */
function base64DecodedBytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/**
 * Whether a FunctionName is a bare name (optionally `name:qualifier`) rather than a full or partial ARN.
 * ARNs start with `arn:`, an account id, or a region, or contain `function:`.
 */
export function isPlainFunctionName(value: string): boolean {
  return !/^(arn:|\d{12}:|(eusc-)?[a-z]{2}(-[a-z]+)+-\d:)/.test(value) && !value.includes('function:');
}

function failWith(validate: DataValidateFunction, error: Partial<ErrorObject>): false {
  validate.errors = [error];
  return false;
}

/**
 * The task rules that plain JSON Schema cannot say, as keywords so that any definition's schemas
 * can use them (the Invoke fixture gets them without code):
 * - `x-computed: true`: the signer computes this header; an input must not set it (keyword `computed`).
 * - `x-plainNameMaxLength: n`: a bare function name is at most n characters; ARNs only obey `maxLength`.
 * - `x-maxDecodedBytes: n`: base64 text whose decoded size is at most n bytes.
 */
function addTaskKeywords(ajv: AjvInstance): void {
  ajv.addKeyword({
    keyword: 'x-computed',
    schemaType: 'boolean',
    errors: true,
    compile(computed: boolean) {
      const validate: DataValidateFunction = () =>
        !computed ||
        failWith(validate, {
          keyword: 'computed',
          message: 'is computed by the SigV4 signer and must not be set in the input',
          params: {},
        });
      return validate;
    },
  });
  ajv.addKeyword({
    keyword: 'x-plainNameMaxLength',
    type: 'string',
    schemaType: 'number',
    errors: true,
    compile(limit: number, parentSchema: AnySchemaObject) {
      const arnLimit = typeof parentSchema.maxLength === 'number' ? parentSchema.maxLength : undefined;
      const validate: DataValidateFunction = (data: unknown) => {
        if (typeof data !== 'string' || !isPlainFunctionName(data)) return true;
        const name = data.split(':', 1)[0] ?? data;
        if (name.length <= limit) return true;
        return failWith(validate, {
          keyword: 'plainNameMaxLength',
          message:
            `must be at most ${limit} characters long when it is a plain function name (the name has ${name.length})` +
            (arnLimit === undefined ? '' : `; full and partial ARNs may have up to ${arnLimit}`),
          params: { limit, length: name.length },
        });
      };
      return validate;
    },
  });
  ajv.addKeyword({
    keyword: 'x-maxDecodedBytes',
    type: 'string',
    schemaType: 'number',
    errors: true,
    compile(limit: number, parentSchema: AnySchemaObject) {
      const maxLength = typeof parentSchema.maxLength === 'number' ? parentSchema.maxLength : Infinity;
      const validate: DataValidateFunction = (data: unknown) => {
        // Malformed base64 and over-long text are already reported by `pattern` and `maxLength`.
        if (typeof data !== 'string' || data.length % 4 !== 0 || data.length > maxLength) return true;
        const bytes = base64DecodedBytes(data);
        if (bytes <= limit) return true;
        return failWith(validate, {
          keyword: 'maxDecodedBytes',
          message: `must decode to at most ${limit.toLocaleString('en-US')} bytes (it decodes to ${bytes.toLocaleString('en-US')})`,
          params: { limit, bytes },
        });
      };
      return validate;
    },
  });
}

export interface CreateAjvOptions {
  /** Fill in `default`s (only ever on copies: see validate-input). */
  useDefaults?: boolean;
}

/**
 * One configured ajv: draft-07, every error collected, formats, the discriminator keyword for `oneOf`
 * unions tagged by a `const` property, and the task keywords.
 */
export function createAjv(options: CreateAjvOptions = {}): AjvInstance {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    // Our unions (`oneOf` of a `kind`/`type`-tagged object) are exact; union types elsewhere are not.
    strictTypes: false,
    discriminator: true,
    // Errors then carry their parent schema, whose `x-patternDescription` words a failed pattern.
    verbose: true,
    useDefaults: options.useDefaults ?? false,
  });
  addFormats(ajv);
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword, schemaType: ['string', 'boolean', 'number'] });
  addTaskKeywords(ajv);
  return ajv;
}
