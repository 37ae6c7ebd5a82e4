/**
 * The `lambda-stream-aws` config node: region, endpoint override and credentials. The credentials are
 * either the default AWS chain (environment, profile, SSO, container, instance) or keys held in
 * Node-RED's credential store (the secret and the session token as `password` credentials, which the
 * runtime never sends to the editor); they are never part of the flow file.
 */
const { definition } = require('../lib/load-core.js');

/** `keys` when the store holds an access key id and no source was chosen (a flow deployed through the admin API). */
function credentialSource(config, credentials) {
  if (config.credentialSource === 'chain' || config.credentialSource === 'keys')
    return config.credentialSource;
  return credentials?.accessKeyId ? 'keys' : 'chain';
}

module.exports = function registerAwsConfig(RED) {
  const def = definition();

  function LambdaStreamAwsNode(config) {
    RED.nodes.createNode(this, config);
    this.name = config.name;
    const settings = {};
    for (const field of def.config.settings) settings[field.prop] = config[field.prop];

    /** `{ region, endpoint }` for the task input (empty values mean "from the environment"). */
    this.awsSettings = () => ({ ...settings });

    /** Explicit credentials from the store, or `undefined` for the default chain. */
    this.awsCredentials = () => {
      if (credentialSource(config, this.credentials) === 'chain') return undefined;
      const stored = this.credentials ?? {};
      if (!stored.accessKeyId || !stored.secretAccessKey) {
        const error = new Error(
          `The config node "${this.name || this.id}" is set to use keys but has no ${stored.accessKeyId ? 'secretAccessKey' : 'accessKeyId'}; enter it or choose the default credential chain`,
        );
        error.code = 'CREDENTIALS_UNAVAILABLE';
        throw error;
      }
      const credentials = { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
      if (stored.sessionToken) credentials.sessionToken = stored.sessionToken;
      return credentials;
    };
  }

  const credentials = {};
  for (const field of def.config.credentials)
    credentials[field.prop] = { type: field.secret ? 'password' : 'text' };
  RED.nodes.registerType('lambda-stream-aws', LambdaStreamAwsNode, { credentials });
};
