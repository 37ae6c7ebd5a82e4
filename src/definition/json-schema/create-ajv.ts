import { createRequire } from 'node:module';
import type { Ajv, Code, CodeKeywordDefinition, KeywordCxt, Options } from 'ajv';
import { base64DecodedBytes } from './base64-decoded-bytes.js';
import { functionNamePart } from './function-name-part.js';

/** The ajv instance type, exported for the modules that compile with it. */
export type AjvInstance = Ajv;

type AjvModule = typeof import('ajv');
type CodegenModule = typeof import('ajv/dist/compile/codegen/index.js');
type NamesModule = typeof import('ajv/dist/compile/names.js');
type AddFormats = (ajv: Ajv) => Ajv;

/**
 * ajv (and its compiler, ~60 files) is loaded on the first `createAjv()`, not when this module is
 * imported: the package's own definition runs on precompiled validators (`generated/`), so a host that
 * only invokes never pays for it. `require` because `loadManifest`/`validateInput` are synchronous.
 */
const requireCjs = createRequire(import.meta.url);

interface AjvParts {
  Ajv: AjvModule['Ajv'];
  addFormats: AddFormats;
  codegen: CodegenModule;
  names: NamesModule['default'];
}

let parts: AjvParts | undefined;

function ajvParts(): AjvParts {
  if (parts === undefined) {
    const ajvModule = requireCjs('ajv') as AjvModule;
    // ajv-formats is CommonJS with `exports.default`; take `.default` when it is there.
    const formatsModule = requireCjs('ajv-formats') as AddFormats & { default?: AddFormats };
    parts = {
      Ajv: ajvModule.Ajv,
      addFormats: formatsModule.default ?? formatsModule,
      codegen: requireCjs('ajv/dist/compile/codegen') as CodegenModule,
      names: (requireCjs('ajv/dist/compile/names') as NamesModule).default,
    };
  }
  return parts;
}

/**
 * Where the precompiled validators (`src/definition/generated/*.ts`, written by
 * scripts/compile-validators.mjs) import the keyword helpers from. Standalone code cannot carry a
 * function, only a `require(...)` of it, which the script turns into an `import`.
 */
const HELPER_MODULES = {
  functionNamePart: '../json-schema/function-name-part.js',
  base64DecodedBytes: '../json-schema/base64-decoded-bytes.js',
} as const;

/**
 * Annotation keywords of our schemas that ajv does not know. `tsType` is read by the type generator;
 * the `x-` ones by the designer. Declared so ajv's strict mode still rejects a misspelt real keyword.
 */
const ANNOTATIONS = ['tsType', 'x-secret', 'x-fileReferencePrefix', 'x-patternDescription'] as const;

/**
 * Emits the code that reports one error of a task keyword. The error object is the one these keywords
 * have always produced (`keyword` is the rule's name without `x-`, which issues and error codes use;
 * `schemaPath` ends in the schema keyword; `schema` and `data` when verbose), pushed the way ajv's own
 * keywords do: collected under `allErrors` or inside `anyOf`/`oneOf`, else returned at once.
 */
function reportError(cxt: KeywordCxt, keyword: string, message: Code, params: Code): void {
  const { _, strConcat, nil } = ajvParts().codegen;
  const N = ajvParts().names;
  const { gen, it } = cxt;
  if (it.schemaEnv.$async) throw new Error(`${cxt.keyword} does not support $async schemas`);
  const verbose = it.opts.verbose ? _`, schema: ${cxt.schemaValue}, data: ${cxt.data}` : nil;
  const schemaPath = `${it.errSchemaPath}/${cxt.keyword}`;
  const err = gen.const(
    'err',
    _`{instancePath: ${strConcat(N.instancePath, it.errorPath)}, schemaPath: ${schemaPath}, keyword: ${keyword}, params: ${params}, message: ${message}${verbose}}`,
  );
  if (it.allErrors || it.compositeRule) {
    gen.if(
      _`${N.vErrors} === null`,
      () => gen.assign(N.vErrors, _`[${err}]`),
      () => gen.code(_`${N.vErrors}.push(${err})`),
    );
    gen.code(_`${N.errors}++`);
  } else {
    gen.assign(_`${it.validateName}.errors`, _`[${err}]`);
    gen.return(false);
  }
}

/** A helper function the generated code calls: the function itself at run time, an import when standalone. */
function helper(cxt: KeywordCxt, name: keyof typeof HELPER_MODULES, fn: (text: string) => unknown): Code {
  const { _, getProperty } = ajvParts().codegen;
  return cxt.gen.scopeValue('func', {
    ref: fn,
    code: _`require(${HELPER_MODULES[name]})${getProperty(name)}`,
  });
}

/**
 * The task rules that plain JSON Schema cannot say, as keywords so that any definition's schemas
 * can use them (the Invoke fixture gets them without code):
 * - `x-computed: true`: the signer computes this header; an input must not set it (keyword `computed`).
 * - `x-plainNameMaxLength: n`: the function's own name is at most n characters in every form (plain,
 *   `name:qualifier`, partial and full ARNs); the whole value obeys `maxLength`.
 * - `x-maxDecodedBytes: n`: base64 text whose decoded size is at most n bytes.
 *
 * They generate code (rather than compile to closures) so that the same definitions serve ajv at run
 * time and the standalone validators that scripts/compile-validators.mjs precompiles.
 */
function taskKeywords(): CodeKeywordDefinition[] {
  const { _, str } = ajvParts().codegen;
  return [
    {
      keyword: 'x-computed',
      schemaType: 'boolean',
      code(cxt) {
        if (cxt.schema !== true) return;
        reportError(
          cxt,
          'computed',
          _`${'is computed by the SigV4 signer and must not be set in the input'}`,
          _`{}`,
        );
      },
    },
    {
      keyword: 'x-plainNameMaxLength',
      type: 'string',
      schemaType: 'number',
      code(cxt) {
        const { gen, data, parentSchema } = cxt;
        const limit = cxt.schema as number;
        const arnLimit = typeof parentSchema.maxLength === 'number' ? parentSchema.maxLength : undefined;
        const arnWords =
          arnLimit === undefined
            ? ''
            : `; ARN and qualifier included, the whole value may have up to ${arnLimit}`;
        const namePart = helper(cxt, 'functionNamePart', functionNamePart);
        const length = gen.const('length', _`${namePart}(${data}).length`);
        gen.if(_`${length} > ${limit}`, () =>
          reportError(
            cxt,
            'plainNameMaxLength',
            str`must be at most ${limit} characters long in its function name (the name has ${length})${arnWords}`,
            _`{limit: ${limit}, length: ${length}}`,
          ),
        );
      },
    },
    {
      keyword: 'x-maxDecodedBytes',
      type: 'string',
      schemaType: 'number',
      code(cxt) {
        const { gen, data, parentSchema } = cxt;
        const limit = cxt.schema as number;
        const maxLength = typeof parentSchema.maxLength === 'number' ? parentSchema.maxLength : undefined;
        const decodedBytes = helper(cxt, 'base64DecodedBytes', base64DecodedBytes);
        // Malformed base64 and over-long text are already reported by `pattern` and `maxLength`.
        const wellFormed =
          maxLength === undefined
            ? _`${data}.length % 4 === 0`
            : _`${data}.length % 4 === 0 && ${data}.length <= ${maxLength}`;
        gen.if(wellFormed, () => {
          const bytes = gen.const('bytes', _`${decodedBytes}(${data})`);
          gen.if(_`${bytes} > ${limit}`, () => {
            // A name, not an expression, inside `str`: its string merging would mangle a call's quotes.
            const shown = gen.const('shown', _`${bytes}.toLocaleString("en-US")`);
            reportError(
              cxt,
              'maxDecodedBytes',
              str`must decode to at most ${limit.toLocaleString('en-US')} bytes (it decodes to ${shown})`,
              _`{limit: ${limit}, bytes: ${bytes}}`,
            );
          });
        });
      },
    },
  ];
}

export interface CreateAjvOptions {
  /** Fill in `default`s (only ever on copies: see validate-input). */
  useDefaults?: boolean;
  /** Keep the generated source for `ajv/dist/standalone` (scripts/compile-validators.mjs). */
  standalone?: boolean;
}

/**
 * One configured ajv: draft-07, every error collected, formats, the discriminator keyword for `oneOf`
 * unions tagged by a `const` property, and the task keywords. Loads ajv on first use.
 *
 * @example
 * const validate = createAjv().compile({ type: 'string', 'x-maxDecodedBytes': 3 });
 * validate('aGVsbG8='); // false: it decodes to 5 bytes
 */
export function createAjv(options: CreateAjvOptions = {}): AjvInstance {
  const { Ajv, addFormats } = ajvParts();
  const ajvOptions: Options = {
    allErrors: true,
    strict: true,
    // Our unions (`oneOf` of a `kind`/`type`-tagged object) are exact; union types elsewhere are not.
    strictTypes: false,
    discriminator: true,
    // Errors then carry their parent schema, whose `x-patternDescription` words a failed pattern.
    verbose: true,
    useDefaults: options.useDefaults ?? false,
  };
  if (options.standalone === true) ajvOptions.code = { source: true, esm: true, lines: true };
  const ajv = new Ajv(ajvOptions);
  addFormats(ajv);
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword, schemaType: ['string', 'boolean', 'number'] });
  for (const definition of taskKeywords()) ajv.addKeyword(definition);
  return ajv;
}
