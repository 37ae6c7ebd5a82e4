// Property validators from the schemas' rules (generated into LS_SPEC.rules), so Node-RED marks a
// node with a bad value on the canvas. The messages beside the fields come from the runtime's
// validation (the core's), not from here.
const LS_RULES = new Map(LS_SPEC.rules.map((r) => [r.prop, r]));

function lsValid(rule, value) {
  if (value === undefined || value === null || value === '') return !rule.required;
  const text = String(value);
  if (Array.isArray(rule.enum)) return rule.enum.includes(text);
  if (rule.type === 'integer' || rule.type === 'number') {
    const n = Number(text);
    if (!Number.isFinite(n) || (rule.type === 'integer' && !Number.isInteger(n))) return false;
    return !(n < (rule.minimum ?? -Infinity) || n > (rule.maximum ?? Infinity));
  }
  if (text.length < (rule.minLength ?? 0) || text.length > (rule.maxLength ?? Infinity)) return false;
  return rule.pattern === undefined || new RegExp(rule.pattern, 'u').test(text);
}

for (const [prop, entry] of Object.entries(LS_SPEC.defaults)) {
  const rule = LS_RULES.get(prop);
  if (rule !== undefined) entry.validate = (value) => lsValid(rule, value);
}
