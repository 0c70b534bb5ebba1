// Independent check with Sigstore's JavaScript verifier (@sigstore/verify 4.x):
//   node sigstore-verify.cjs BUNDLE.json PUBLIC_KEY.pem
// Key mode, no transparency log: the key is looked up by the bundle's publicKey.hint.
// Prints "OK" and exits 0 when the DSSE signature verifies; prints the error and exits 1 otherwise.
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON } = require('@sigstore/bundle');
const { toSignedEntity, toTrustMaterial, Verifier } = require('@sigstore/verify');

const [bundlePath, keyPath] = process.argv.slice(2);
try {
  const json = JSON.parse(fs.readFileSync(bundlePath, 'utf8'));
  const bundle = bundleFromJSON(json);
  const hint = json.verificationMaterial.publicKey.hint;
  const spki = crypto.createPublicKey(fs.readFileSync(keyPath)).export({ type: 'spki', format: 'der' });
  const trust = toTrustMaterial(
    { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] },
    { [hint]: { rawBytes: spki } });
  const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  verifier.verify(toSignedEntity(bundle));
  console.log('OK');
} catch (e) {
  console.log('FAILED ' + (e.code || '') + ' ' + e.message);
  process.exit(1);
}
