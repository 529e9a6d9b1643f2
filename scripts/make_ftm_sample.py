#!/usr/bin/env python3
"""make_ftm_sample.py - writes tests/data/ftm/sample.ftm.json, a small
FollowTheMoney JSON-lines file converted from the bundled list data.

Reads only files under ../shared/data (relative to the repository root) and
writes only tests/data/ftm/sample.ftm.json. Run from the repository root:
    python3 scripts/make_ftm_sample.py
The output is deterministic: same inputs, same bytes."""
import csv
import gzip
import json
import re
import xml.etree.ElementTree as ET

DATA = "../shared/data/"
OUT = "tests/data/ftm/sample.ftm.json"


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def split(text, sep=";"):
    return [p.strip() for p in text.split(sep) if p.strip()]


def entity(eid, schema, dataset, props):
    props = {k: v for k, v in props.items() if v}
    return {"id": eid, "schema": schema, "properties": props, "datasets": [dataset]}


def ndaa_889():
    out = []
    with open(DATA + "us_other_lists_opensanctions/ndaa_section_889.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.append(entity("us-ndaa-889-" + slug(row["name"]), row["schema"], "us_special_leg", {
                "name": [row["name"]],
                "alias": split(row["aliases"]),
                "topics": split(row["topics"]),
                "program": [row["program"]],
                "country": split(row["country"]),
                "notes": split(row["notes"], "\n"),
                "startDate": [row["start-date"]] if row["start-date"] else [],
                "endDate": [row["end-date"]] if row["end-date"] else [],
                "sourceUrl": [row["source_url"]],
            }))
    return out


def bis_mieu(limit=6):
    out = []
    with open(DATA + "us_other_lists_opensanctions/bis_mieu.csv", newline="", encoding="utf-8") as f:
        for row in list(csv.DictReader(f))[:limit]:
            out.append(entity("us-bis-mieu-" + slug(row["Name"]), row["Type"], "us_bis_mieu", {
                "name": [row["Name"]],
                "alias": split(row["Alias"]),
                "country": split(row["Country"]),
                "topics": split(row["Topics"]),
                "program": [row["Program"]],
                "startDate": [row["Date"]] if row["Date"] else [],
                "endDate": [row["End date"]] if row["End date"] else [],
                "sourceUrl": [row["Source URL"]],
            }))
    return out


def dod_1260h(limit=4):
    with open(DATA + "us_other_lists_opensanctions/dod_1260h_chinese_military_companies.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    picked = rows[:limit] + [next(r for r in rows if r["End date"])]
    out = []
    for row in picked:
        out.append(entity("us-dod-1260h-" + slug(row["Clean Name"]), "Company", "us_dod_chinese_milcorps", {
            "name": [row["Clean Name"]],
            "alias": split(row["Alias"]),
            "previousName": split(row["Previous Name"]),
            "notes": split(row["Note"], "\n"),
            "topics": ["sanction"],
            "program": ["US-DOD-1260H"],
            "startDate": [row["Start date"]] if row["Start date"] else [],
            "endDate": [row["End date"]] if row["End date"] else [],
            "sourceUrl": [row["Source Url"]] if row["Source Url"] else [],
        }))
    return out


def un_individuals(limit=2):
    """The first `limit` individuals with aliases, then the first one with a
    low-quality alias (FtM weakAlias)."""
    root = ET.parse(DATA + "un_sc_2026-02/consolidated.xml").getroot()
    out = []
    taken = 0
    for ind in root.find("INDIVIDUALS"):
        aliases = [(a.findtext("QUALITY") or "", a.findtext("ALIAS_NAME") or "")
                   for a in ind.findall("INDIVIDUAL_ALIAS")]
        aliases = [(q, n.strip()) for q, n in aliases if n.strip()]
        if not aliases or (taken >= limit and all(q != "Low" for q, n in aliases)):
            continue
        taken += 1
        name = " ".join(t for t in (ind.findtext(k) for k in
                        ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) if t)
        births = []
        for d in ind.findall("INDIVIDUAL_DATE_OF_BIRTH"):
            births.append(d.findtext("DATE") or d.findtext("YEAR") or "")
        eid = "unsc-" + ind.findtext("DATAID")
        out.append(entity(eid, "Person", "un_sc_sanctions", {
            "name": [name],
            "alias": [n for q, n in aliases if q in ("Good", "a.k.a.")],
            "previousName": [n for q, n in aliases if q == "f.k.a."],
            "weakAlias": [n for q, n in aliases if q == "Low"],
            "nationality": [v.text.strip() for v in ind.findall("NATIONALITY/VALUE") if v.text],
            "birthDate": [b for b in births if b],
            "program": [ind.findtext("UN_LIST_TYPE")],
            "topics": ["sanction"],
            "startDate": [ind.findtext("LISTED_ON")],
            "notes": [ind.findtext("COMMENTS1")] if ind.findtext("COMMENTS1") else [],
        }))
        # Records of schemas that are not parties, as OpenSanctions emits them.
        out.append({"id": eid + "-sanction", "schema": "Sanction", "datasets": ["un_sc_sanctions"],
                    "properties": {"entity": [eid], "program": [ind.findtext("UN_LIST_TYPE")],
                                   "startDate": [ind.findtext("LISTED_ON")]}})
        if taken > limit:
            break
    return out


def csl_vessel_and_aircraft():
    out = []
    with gzip.open(DATA + "us_csl_2022/consolidated.csv.gz", "rt", encoding="utf-8", newline="") as f:
        wanted = {"Vessel": "Vessel", "Aircraft": "Airplane"}
        for row in csv.DictReader(f):
            schema = wanted.pop(row["type"], None)
            if schema is None:
                continue
            out.append(entity("ofac-" + row["entity_number"], schema, "us_ofac_sdn", {
                "name": [row["name"]],
                "alias": split(row["alt_names"]),
                "program": split(row["programs"]),
                "country": split(row["vessel_flag"]),
                "topics": ["sanction"],
                "notes": [row["remarks"]] if row["remarks"] else [],
            }))
            if not wanted:
                break
    return out


def main():
    records = ndaa_889() + bis_mieu() + dod_1260h() + un_individuals() + csl_vessel_and_aircraft()
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
