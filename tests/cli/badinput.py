"""badinput.py DIR - writes the variants of tests/cli/badinput.sh into DIR and
their list, one a line: NAME|PATH|SOURCE|EXPECT|ARG (see badinput.sh).

Each format starts from one small valid file of the repository; a name it
holds (NAME below) is the place where damage goes in. The expectations are
what docs/robustness.md states for each case."""
import gzip
import os
import re
import shutil
import sys
import zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
root = os.path.join(os.path.dirname(__file__), "..", "..")


def read(p):
    with open(os.path.join(root, p), "rb") as f:
        return f.read()


def head(p, lines):
    data = read(p)
    if p.endswith(".gz"):
        data = gzip.decompress(data)
    return b"".join(data.splitlines(keepends=True)[:lines])


# key: (file name, bytes, --source, the name to damage, kind, entries)
FORMATS = {
    "ofac_csv": ("sdn.csv", read("tests/data/ofac_csv/good/sdn.csv"), "us-ofac-sdn",
                 b"BANCO NACIONAL DE CUBA", "csv"),
    "ofac_xml": ("sdn.xml", read("tests/data/xml/ofac_small.xml"), "",
                 b"BANK MARKAZI JOMHOURI ISLAMI IRAN", "xml"),
    "ofac_enhanced_xml": ("sdn_enhanced.xml", read("tests/data/xml/ofac_enhanced_small.xml"), "",
                          b"HANIYA", "xml"),
    "un_xml": ("consolidated.xml", read("tests/data/xml/un_small.xml"), "", b"SADDAM", "xml"),
    "eu_fsf_xml": ("fsf.xml", read("tests/data/eu/fsf_small.xml"), "", b"Abu Ali", "xml"),
    "uk_xml": ("uk.xml", read("tests/data/uk/uk_small.xml"), "", b"Haji Mohammad Hassan", "xml"),
    "uk_conlist_csv": ("conlist.csv", read("tests/data/uk/conlist_small.csv"), "",
                       b"Haji Mohammad Hassan", "csv"),
    # a record after the first: the first is what format detection reads
    "ftm_json": ("sample.ftm.json", read("tests/data/ftm/sample.ftm.json"), "eu-fsf",
                 b"GASTON IYAMUREMYE", "json"),
    "bis_dpl": ("dpl.txt", head("data/lists/us_bis_dpl_2023-11/dpl.txt", 12), "", b"I. ASH", "csv"),
    "csl_csv": ("consolidated.csv", head("data/lists/us_csl_2022/consolidated.csv.gz", 12), "",
                b"I. ASH", "csv"),
}

# A date of each format, and the ways to make it wrong.
DATES = {
    "ofac_xml": (b"<dateOfBirth>1962", [b"<dateOfBirth>31 Feb 1962", b"<dateOfBirth>99999"]),
    "ofac_enhanced_xml": (b"1990-10-17", [b"1990-02-30", b"0000-00-00"]),
    "un_xml": (b"<YEAR>1948</YEAR>", [b"<YEAR>99999</YEAR>", b"<YEAR>0</YEAR>"]),
    "eu_fsf_xml": (b'birthdate="1937-04-28"', [b'birthdate="1937-02-30"', b'birthdate="0000-01-01"']),
    "uk_xml": (b"<DOB>dd/mm/1945", [b"<DOB>31/02/1945", b"<DOB>01/01/99999"]),
    "uk_conlist_csv": (b"dd/mm/1945", [b"31/02/1945", b"01/13/99999"]),
    "ftm_json": (b'"birthDate": ["1948"]', [b'"birthDate": ["2021-02-30"]',
                                           b'"birthDate": ["99999-01-01"]']),
    "bis_dpl": (b'"06/19/2003"', [b'"02/30/2003"', b'"06/19/99999"']),
    "csl_csv": (b"2003-06-19", [b"2003-02-30", b"0000-00-00"]),
    "ofac_csv": (b"DOB 10 Dec 1948", [b"DOB 31 Feb 1948", b"DOB 10 Dec 99999"]),
}


def once(data, old, new):
    assert old in data, old
    return data.replace(old, new, 1)


def crlf(data):
    return re.sub(rb"\r?\n", b"\r\n", data)


def many_names(key, data, nm):
    """One entity with 5,000 names (the cap is 4,096)."""
    if key == "ofac_csv":
        return None  # the aliases are in alt.csv: written by write() below
    if key == "ftm_json":  # the record's own aliases, 5,000 of them
        names = ", ".join('"Alias %d"' % i for i in range(5000)).encode()
        return once(data, b'"alias": ["Byiringiro Victor Rumuli", "Victor Rumuri", "Michel Byiringiro"]',
                    b'"alias": [' + names + b"]")
    if key == "un_xml":
        block = b"".join(b"<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Alias %d</ALIAS_NAME>"
                         b"</INDIVIDUAL_ALIAS>" % i for i in range(5000))
        return once(data, b"<INDIVIDUAL_ALIAS>", block + b"<INDIVIDUAL_ALIAS>")
    if key == "ofac_xml":
        block = b"".join(b"<aka><uid>%d</uid><type>a.k.a.</type><category>strong</category>"
                         b"<lastName>ALIAS %d</lastName></aka>" % (900000 + i, i) for i in range(5000))
        return once(data, b"<aka>", block + b"<aka>")
    if key == "eu_fsf_xml":
        block = b"".join(b'<nameAlias firstName="" middleName="" lastName="" wholeName="Alias %d" '
                         b'function="" gender="" title="" nameLanguage="" strong="true" '
                         b'regulationLanguage="en" logicalId="%d"/>' % (i, 900000 + i)
                         for i in range(5000))
        return once(data, b"<nameAlias ", block + b"<nameAlias ")
    if key == "uk_xml":
        block = b"".join(b"<Name><Name6>Alias %d</Name6><NameType>Alias</NameType></Name>" % i
                         for i in range(5000))
        return once(data, b"<Name>", block + b"<Name>")
    if key == "csl_csv":  # alt_names: one field, names separated by "; "
        import csv
        import io
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        rows[1][rows[0].index("alt_names")] = "; ".join("Alias %d" % i for i in range(5000))
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        return buf.getvalue().encode("utf-8")
    return None  # bis_dpl: one name a row, no aliases


def write(name, fname, data, source, expect, arg, files=None):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, fname)
    with open(path, "wb") as f:
        f.write(data)
    for extra, content in (files or {}).items():
        with open(os.path.join(d, extra), "wb") as f:
            f.write(content)
    cases.append("%s|%s|%s|%s|%s" % (name, d if files is not None else path, source, expect, arg))


cases = []
EXPECT = {}
exec(open(os.path.join(os.path.dirname(__file__), "badinput_expect.py")).read())

for key, (fname, data, source, nm, kind) in FORMATS.items():
    files = None
    if key == "ofac_csv":  # a directory: sdn.csv with its add.csv and alt.csv
        files = {f: read("tests/data/ofac_csv/good/" + f) for f in ("add.csv", "alt.csv")}
    variants = {
        "orig": data,
        "truncated": data[:len(data) * 6 // 10].rstrip(b"\r\n")[:-3],
        "utf16": data.decode("utf-8").encode("utf-16"),
        "latin1": once(data, nm, b"M\xfcller"),
        "bom": b"\xef\xbb\xbf" + data,
        "crlf": crlf(data),
        "lf": data.replace(b"\r\n", b"\n"),
        "nul": once(data, nm, b"AB\x00CD"),
        "field_70k": once(data, nm, b"A" * 70000),
        "name_30k": once(data, nm, b"ABCDEFGHIJKLMNOPQRS " * 1500),
        "line_2m": once(data, nm, b"A " * 1000000),
        "gzipped": gzip.compress(data),
    }
    if kind == "xml":
        variants["deep"] = once(data, nm, b"<a>" * 100 + b"x" + b"</a>" * 100)
        decl_end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
        laughs = (b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                  b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
                  b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>')
        variants["entities"] = once(data[:decl_end] + laughs + data[decl_end:], nm, b"&e;")
        variants["undeclared_entity"] = once(data, nm, b"&e;")
    elif kind == "json":
        variants["deep"] = once(data, b'["' + nm + b'"]', b"[" * 5000 + b"]" * 5000)
        variants["first_record_damaged"] = once(data, b"Dahua Technology Company", b"M\xfcller")
        variants["entities"] = once(data, nm, b"&e;&amp;")
    else:
        variants["deep"] = once(data, nm, b'X""' * 20000)
        variants["entities"] = once(data, nm, b"&e;&amp;")
    d_old, d_bad = DATES[key]
    for i, bad in enumerate(d_bad):
        variants["date_bad_%d" % (i + 1)] = once(data, d_old, bad)
    m = many_names(key, data, nm)
    if m is not None:
        variants["names_5000"] = m
    for v, content in variants.items():
        name = "%s/%s" % (key, v)
        exp = EXPECT[name]
        if v == "gzipped":
            write(name, fname + ".gz", content, source, *exp, files=files)
        else:
            write(name, fname, content, source, *exp, files=files)
    if key == "ofac_csv":  # 5,000 aliases of one entry in alt.csv
        alt = files["alt.csv"].rstrip(b"\x1a") + b"".join(b'306,%d,"aka","ALIAS %d",-0- \r\n' % (900000 + i, i)
                                          for i in range(5000))
        name = "ofac_csv/names_5000"
        write(name, fname, data, source, *EXPECT[name],
              files={"add.csv": files["add.csv"], "alt.csv": alt})
    if key == "csl_csv":  # the gzip bombs: one line of 50 MB; 600 MB of line ends
        for name, chunk, count in (("csl_csv/gzip_bomb_line", b"A" * 1048576, 50),
                                   ("csl_csv/gzip_bomb_600m", b"\r\n" * 524288, 600)):
            z = zlib.compressobj(1, zlib.DEFLATED, 31)
            blob = z.compress(data.splitlines(keepends=True)[0])
            for _ in range(count):
                blob += z.compress(chunk)
            blob += z.flush()
            write(name, "consolidated.csv.gz", blob, source, *EXPECT[name])

with open(os.path.join(out, "list"), "w") as f:
    f.write("\n".join(cases) + "\n")
