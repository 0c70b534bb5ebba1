// Writes a TUF repository with tuf-js's own models (@tufjs/models, canonical JSON from
// @tufjs/canonical-json, Node crypto keys) holding one bundle, so Satchel's client can be checked
// against metadata it did not write. Keys: Ed25519 for root and targets, ECDSA P-256 (PEM) for
// snapshot and timestamp.
// Usage: node tufjs-repo.js OUT_DIR BUNDLE TARGET_PATH CUSTOM_JSON   (prints the root path)
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { canonicalize } = require('@tufjs/canonical-json');
const { Key, Metadata, MetaFile, Root, Signature, Snapshot, TargetFile, Targets, Timestamp } = require('@tufjs/models');

const [out, bundle, targetPath, customJson] = process.argv.slice(2);
const expires = new Date(Date.now() + 365 * 86400e3).toISOString().replace(/\.\d{3}Z$/, 'Z');

function makeKey(type) {
  const pair = crypto.generateKeyPairSync(type === 'ed25519' ? 'ed25519' : 'ec',
    type === 'ed25519' ? {} : { namedCurve: 'P-256' });
  const pub = type === 'ed25519'
    ? pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex')
    : pair.publicKey.export({ format: 'pem', type: 'spki' });
  const json = type === 'ed25519'
    ? { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: pub } }
    : { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: pub } };
  const keyID = crypto.createHash('sha256').update(canonicalize(json)).digest('hex');
  const key = Key.fromJSON(keyID, json);
  const signer = (bytes) => new Signature({
    keyID, sig: crypto.sign(type === 'ed25519' ? null : 'sha256', bytes, pair.privateKey).toString('hex') });
  return { key, signer };
}

const rootKey = makeKey('ed25519');
const targetsKey = makeKey('ed25519');
const onlineKey = makeKey('ecdsa');
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
const write = (name, md) => {
  const bytes = Buffer.from(JSON.stringify(md.toJSON(), null, 1));
  fs.writeFileSync(path.join(out, 'metadata', name), bytes);
  return bytes;
};
fs.mkdirSync(path.join(out, 'metadata'), { recursive: true });

const root = new Root({ version: 1, expires, consistentSnapshot: true });
root.addKey(rootKey.key, 'root');
root.addKey(targetsKey.key, 'targets');
root.addKey(onlineKey.key, 'snapshot');
root.addKey(onlineKey.key, 'timestamp');
const rootMd = new Metadata(root);
rootMd.sign(rootKey.signer);
write('1.root.json', rootMd);

const data = fs.readFileSync(bundle);
const target = new TargetFile({ length: data.length, path: targetPath, hashes: { sha256: sha(data) },
  unrecognizedFields: { custom: JSON.parse(customJson) } });
const dir = path.join(out, 'targets', path.dirname(targetPath));
fs.mkdirSync(dir, { recursive: true });
fs.copyFileSync(bundle, path.join(dir, sha(data) + '.' + path.basename(targetPath)));
const targetsMd = new Metadata(new Targets({ version: 1, expires, targets: { [targetPath]: target } }));
targetsMd.sign(targetsKey.signer);
const tb = write('1.targets.json', targetsMd);

const snapMd = new Metadata(new Snapshot({ version: 1, expires,
  meta: { 'targets.json': new MetaFile({ version: 1, length: tb.length, hashes: { sha256: sha(tb) } }) } }));
snapMd.sign(onlineKey.signer);
const sb = write('1.snapshot.json', snapMd);

const tsMd = new Metadata(new Timestamp({ version: 1, expires,
  snapshotMeta: new MetaFile({ version: 1, length: sb.length, hashes: { sha256: sha(sb) } }) }));
tsMd.sign(onlineKey.signer);
write('timestamp.json', tsMd);
console.log(path.join(out, 'metadata', '1.root.json'));
