// The config node's dialog: the key fields show only when keys are chosen. The secret key and the
// session token are `password` credentials: Node-RED sends the editor only whether they are set.
RED.nodes.registerType(LS_SPEC.type, {
  category: 'config',
  defaults: LS_SPEC.defaults,
  credentials: LS_SPEC.credentials,
  label() {
    return this.name || [this.region, this.endpoint].filter(Boolean).join(' ') || 'AWS (default chain)';
  },
  oneditprepare() {
    const source = $('#node-config-input-credentialSource');
    const toggle = () => $('.ls-keys').toggle(source.val() === 'keys');
    source.on('change', toggle);
    toggle();
  },
});
