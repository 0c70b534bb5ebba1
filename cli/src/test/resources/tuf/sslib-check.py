# Second, independent check of Satchel's TUF metadata with securesystemslib 0.26 (Debian
# python3-securesystemslib): canonical JSON (encode_canonical), key ids (sha256 of the canonical
# key object) and every signature (SSlibKey.verify_signature). Usage: sslib-check.py METADATA_DIR
import glob, hashlib, json, os, sys
from securesystemslib.formats import encode_canonical
from securesystemslib.signer import Signature, SSlibKey

meta = sys.argv[1]
keys = {}
for path in sorted(glob.glob(os.path.join(meta, "*.root.json"))):
    with open(path, "rb") as f:
        root = json.load(f)
    for keyid, key in root["signed"]["keys"].items():
        computed = hashlib.sha256(encode_canonical(key).encode("utf-8")).hexdigest()
        if computed != keyid:
            sys.exit("%s: key id %s, securesystemslib computes %s" % (path, keyid, computed))
        keys[keyid] = SSlibKey.from_dict(keyid, dict(key))
count = 0
for path in sorted(glob.glob(os.path.join(meta, "*.json"))):
    with open(path, "rb") as f:
        doc = json.load(f)
    data = encode_canonical(doc["signed"]).encode("utf-8")
    if not doc["signatures"]:
        sys.exit("%s: no signatures" % path)
    for s in doc["signatures"]:
        keys[s["keyid"]].verify_signature(Signature(s["keyid"], s["sig"]), data)
        count += 1
print("OK %d signatures" % count)
