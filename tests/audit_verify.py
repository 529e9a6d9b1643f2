#!/usr/bin/env python3
"""An independent verifier of an exportgate audit export (docs/audit.md).

Standard library only. It recomputes every leaf hash from the records, the
RFC 9162 Merkle Tree Hash of them, checks it against the export's root and
its checkpoint text, and verifies every inclusion and consistency proof by
the algorithms of RFC 9162 2.1.3.2 and 2.1.4.2. It does not check the
checkpoint's Ed25519 signature (not in the standard library): do that with
`openssl pkeyutl -verify` or any Ed25519 tool, over the checkpoint's body.

Usage: audit_verify.py EXPORT.json   -> exit 0 when everything verifies.
"""
import base64
import hashlib
import json
import struct
import sys

MAGIC = b"exportgate-audit-v1\n"


def leaf_hash(index, time_ms, payload):
    data = MAGIC + struct.pack(">QqQ", index, time_ms, len(payload)) + payload
    return hashlib.sha256(b"\x00" + data).digest()


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(leaves):
    """RFC 9162 2.1.1: the Merkle Tree Hash, split at the largest power of 2 below n."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1 << ((n - 1).bit_length() - 1)
    return node(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(leaf, index, size, path, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_hash, second_hash, path):
    """RFC 9162 2.1.4.2 (for 0 < first < second; equal sizes need equal roots)."""
    if first == second:
        return not path and first_hash == second_hash
    if first == 0 or first > second or not path:
        return False
    if first & (first - 1) == 0:
        path = [first_hash] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node(c, fr)
            sr = node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("format") != "exportgate-audit-export/1":
        print("not an exportgate audit export", file=sys.stderr)
        return 1
    problems = []
    leaves = []
    for i, rec in enumerate(doc["records"]):
        if rec["index"] != i:
            problems.append("record %d: index %d out of place" % (i, rec["index"]))
        h = leaf_hash(rec["index"], rec["time_ms"], rec["payload"].encode("utf-8"))
        if h.hex() != rec["leaf_hash"]:
            problems.append("record %d: leaf hash does not match its contents" % i)
        leaves.append(h)
    size = doc["size"]
    root = mth(leaves)
    if len(leaves) != size:
        problems.append("%d records for a tree of %d" % (len(leaves), size))
    if root.hex() != doc["root"]:
        problems.append("the records hash to %s, the export says %s" % (root.hex(), doc["root"]))
    if doc.get("checkpoint"):
        lines = doc["checkpoint"].split("\n")
        if int(lines[1]) == size and base64.b64decode(lines[2]) != root:
            problems.append("the checkpoint of size %s signed another root" % lines[1])
        elif int(lines[1]) != size:
            problems.append("the checkpoint is of size %s, the export of %d" % (lines[1], size))
    for p in doc["inclusion"]:
        i = p["index"]
        path = [bytes.fromhex(h) for h in p["path"]]
        if p["size"] != size or i >= len(leaves) or not verify_inclusion(leaves[i], i, size, path, root):
            problems.append("inclusion proof of record %d does not verify" % i)
    for p in doc["consistency"]:
        m = p["old_size"]
        path = [bytes.fromhex(h) for h in p["path"]]
        old_root = bytes.fromhex(p["old_root"])
        if old_root != mth(leaves[:m]):
            problems.append("the root of the first %d records is not the one given" % m)
        if p["size"] != size or not verify_consistency(m, size, old_root, root, path):
            problems.append("consistency proof %d -> %d does not verify" % (m, size))
    for line in problems:
        print("audit_verify: " + line, file=sys.stderr)
    if problems:
        return 1
    print("audit_verify: %d records, root %s, %d inclusion and %d consistency proofs verified"
          % (size, root.hex(), len(doc["inclusion"]), len(doc["consistency"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
