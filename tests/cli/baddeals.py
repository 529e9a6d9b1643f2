"""baddeals.py DIR - writes the damaged deals and policies of tests/cli/baddeals.sh
into DIR and their list, one a line: KIND|NAME|PATH|EXIT|TEXT (KIND deal or
policy; EXIT the exit code expected; TEXT a text the message must hold, "" for
an answer)."""
import json
import os
import sys

out = sys.argv[1]
root = os.path.join(os.path.dirname(__file__), "..", "..")
deal = open(os.path.join(root, "docs/examples/deal-nso-2021-11-04.json"), "rb").read()
policy = open(os.path.join(root, "data/policies/us-ear-cyber.json"), "rb").read()
cases = []


def once(data, old, new):
    assert old in data, old
    return data.replace(old, new, 1)


def party(i):
    return {"role": "end_user", "name": "Party %d" % i, "country": "IL", "type": "private"}


d = json.loads(deal)
many_parties = dict(d, parties=[party(i) for i in range(65)])
many_items = dict(d, items=[{"classification": "4D004"}] * 65)
big = dict(d, reference="x" * 300000)

def deep_policy():
    """The first rule's condition under 40 "not"s (the cap is 16)."""
    p = json.loads(policy)
    for _ in range(40):
        p["rules"][0]["when"] = {"not": p["rules"][0]["when"]}
    return json.dumps(p).encode()


DEALS = [  # name, bytes, exit, text
    ("orig", deal, 1, ""),
    ("truncated", deal[:len(deal) // 2], 3, "line"),
    ("utf16", deal.decode().encode("utf-16"), 3, "deal"),
    ("latin1", once(deal, b'"name": "NSO Group"', b'"name": "M\xfcller"'), 3, "deal"),
    ("bom", b"\xef\xbb\xbf" + deal, 3, "deal"),
    ("crlf", deal.replace(b"\n", b"\r\n"), 1, ""),
    ("nul_raw", once(deal, b'"name": "NSO Group"', b'"name": "NSO\x00Group"'), 3, "deal"),
    ("nul_escaped", once(deal, b'"name": "NSO Group"', b'"name": "NSO\\u0000Group"'), 3, "deal: line"),
    ("name_2k", once(deal, b'"name": "NSO Group"', b'"name": "' + b"N" * 2000 + b'"'), 3,
     "$.parties[0].name"),
    ("doc_300k", json.dumps(big).encode(), 3, "deal"),
    ("deep", once(deal, b'"lawful interception"', b"[" * 10000 + b"]" * 10000), 3, "deal"),
    ("parties_65", json.dumps(many_parties).encode(), 3, "$.parties"),
    ("items_65", json.dumps(many_items).encode(), 3, "$.items"),
    ("date_feb30", once(deal, b"2021-11-04", b"2021-02-30"), 3, "$.date"),
    ("date_year0", once(deal, b"2021-11-04", b"0000-01-01"), 3, "$.date"),
    ("date_5digit", once(deal, b"2021-11-04", b"99999-01-01"), 3, "$.date"),
    ("duplicate_key", once(deal, b'"destination": "IL"', b'"destination": "IL", "destination": "DE"'), 3, "deal"),
    ("number_for_string", once(deal, b'"name": "NSO Group"', b'"name": 1e999'), 3, "deal"),
    ("empty", b"", 3, "deal"),
]
POLICIES = [
    ("truncated", policy[:len(policy) // 2], "line"),
    ("utf16", policy.decode().encode("utf-16"), "us-ear-cyber"),
    ("latin1", once(policy, b"Entity List", b"M\xfcller"), "us-ear-cyber"),
    ("bom", b"\xef\xbb\xbf" + policy, "us-ear-cyber"),
    ("nul_raw", once(policy, b"Entity List", b"Entity\x00List"), "us-ear-cyber"),
    ("deep", deep_policy(), "nested"),
    ("date_feb30", once(policy, b'"date": "2021-11-04"', b'"date": "2021-02-30"'), "date"),
    ("rules_300", json.dumps(dict(json.loads(policy), rules=[dict(r, id="r%d" % i) for i in range(300) for r in [json.loads(policy)["rules"][0]]])).encode(), "rules"),
    ("file_2m", policy.rstrip()[:-1] + b', "notes": "' + b"x" * 2000000 + b'"}', "us-ear-cyber"),
]
for name, data, code, text in DEALS:
    p = os.path.join(out, "deal-" + name + ".json")
    os.makedirs(out, exist_ok=True)
    open(p, "wb").write(data)
    cases.append("deal|%s|%s|%d|%s" % (name, p, code, text))
for name, data, text in POLICIES:
    p = os.path.join(out, "policy-" + name)
    os.makedirs(os.path.join(p, "policies"), exist_ok=True)
    for f in ("items.json", "sources.json"):
        os.symlink(os.path.abspath(os.path.join(root, "data", f)), os.path.join(p, f))
    for f in ("countries", "text", "lists"):
        os.symlink(os.path.abspath(os.path.join(root, "data", f)), os.path.join(p, f))
    for f in os.listdir(os.path.join(root, "data/policies")):
        if f != "us-ear-cyber.json":
            os.symlink(os.path.abspath(os.path.join(root, "data/policies", f)), os.path.join(p, "policies", f))
    open(os.path.join(p, "policies", "us-ear-cyber.json"), "wb").write(data)
    cases.append("policy|%s|%s|3|%s" % (name, p, text))
open(os.path.join(out, "list"), "w").write("\n".join(cases) + "\n")
