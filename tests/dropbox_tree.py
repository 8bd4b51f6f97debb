"""A generated Dropbox-like export for the import tests and bench/dropbox_import.py: nested folders (one chain 30
deep), PDF, DOCX, XLSX and TXT files, names in Arabic (one in Windows-1256 bytes, one in Latin-1 bytes, neither
UTF-8), exact duplicates, re-saved or reformatted copies (small edits; DOCX printed to PDF, PDF re-typed as DOCX,
TXT pasted into DOCX, DOCX saved as text), broken files, hidden and system files and symbolic links, and the
``--map`` file of its folders.

Everything the tests check is written down here from the generator's own choices, independently of the importer:
``Tree.expected_codes`` (the codes each file's folder should give it), ``Tree.pairs`` (original and copy of every
near-duplicate), ``Tree.duplicates``, ``Tree.broken`` and ``Tree.left_out``.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from filefactory import make_docx
from filefactory import make_empty
from filefactory import make_malformed_pdf
from filefactory import make_pdf
from filefactory import make_truncated_pdf
from filefactory import make_txt
from filefactory import make_xlsx

#: (folder, codes its --map pattern gives, weight): where originals go.
FOLDERS = [
    ("Assessments/Sebha/2024", ["doc_type:assessment", "location:LY0319"], 3),
    ("Assessments/Tripoli", ["doc_type:assessment", "location:LY0211"], 3),
    ("Assessments/Benghazi/Q1/Field visits", ["doc_type:assessment", "location:LY0103"], 2),
    ("Monitoring/2024/03", ["doc_type:protection_monitoring_report"], 3),
    ("Monitoring/2024/04/الجنوب", ["doc_type:protection_monitoring_report"], 2),
    ("Minutes/Working group", ["doc_type:meeting_minutes"], 2),
    ("تقارير/سبها", ["doc_type:situation_report", "location:LY0319"], 2),
    ("Data/Spreadsheets", ["doc_type:dataset"], 2),
    ("Misc/unsorted", [], 1),
    ("Archive/" + "/".join(f"level{i:02d}" for i in range(30)), ["doc_type:other"], 1),
]

MAP_YAML = """\
# folder patterns to codes (generated with the tree)
"Assessments/**": [doc_type:assessment]
"Assessments/Sebha/**": [location:LY0319]
"Assessments/Tripoli": [location:LY0211]
"assessments/benghazi/*": [location:LY0103]
"Monitoring/**": [doc_type:protection_monitoring_report]
"Minutes/**": [doc_type:meeting_minutes]
"تقارير/سبها/**": [doc_type:situation_report, location:LY0319]
"Data/**": doc_type:dataset
"Archive/**/level29": [doc_type:other]
"""

#: Shared by every report (headers and footers a template leaves), so that unrelated reports overlap a little.
BOILERPLATE = (
    "Protection Sector Working Group. This report was prepared by the protection monitoring team and shared with "
    "partners under the information sharing protocol. Figures are indicative and should not be quoted without "
    "checking the source. Contact the coordination team for questions about the methodology."
)

_WORDS = (
    "access water shelter rent school registry documents family families household households council "
    "volunteer committee district municipality road checkpoint clinic referral legal aid health cash voucher "
    "winter blanket kit distribution assessment monitoring visit interview focus group women men girls boys "
    "elderly disability returnees displaced host community tension eviction landlord contract salary market "
    "prices fuel electricity generator bakery flour medicine pharmacy doctor nurse ambulance detention release "
    "lawyer court hearing passport birth certificate marriage identity card office appointment queue fee "
    "transport bus taxi distance kilometres hours week month season harvest farm livestock fishing port boat "
    "crossing desert border smuggling trafficking exploitation labour child marriage violence survivor safe "
    "space hotline psychosocial counselling teacher classroom enrolment dropout exam certificate training "
    "vocational loan business shop repair tools carpentry sewing bakery cooperative savings group debt "
    "coping meals skipped borrowed sold assets migration route mobility tracking flow arrivals departures"
).split()
_ARABIC_WORDS = (
    "الحماية المياه المأوى الإيجار المدرسة السجل المدني الوثائق الأسرة الأسر المجلس البلدي المتطوعين اللجنة "
    "المنطقة الطريق العيادة الإحالة المساعدة القانونية الصحة النقد الشتاء البطانيات التوزيع التقييم الرصد الزيارة "
    "المقابلة النساء الرجال الفتيات الفتيان كبار السن الإعاقة العائدون النازحون المجتمع المضيف التوتر الإخلاء "
    "المالك العقد الراتب السوق الأسعار الوقود الكهرباء المخبز الدقيق الدواء الصيدلية الطبيب الممرضة الاحتجاز "
    "المحامي المحكمة جواز السفر شهادة الميلاد الزواج البطاقة المكتب الموعد الرسوم النقل الحافلة المسافة"
).split()
_ARABIC_NAMES = ["تقرير الحماية", "محضر اجتماع", "تقييم سريع", "رصد شهري", "زيارة ميدانية", "ملاحظات"]


@dataclass
class Tree:
    """What the generator made, for the assertions (relative paths as shown, '/' between parts)."""

    root: Path
    map_file: Path
    originals: list[str] = field(default_factory=list)
    expected_codes: dict[str, list[str]] = field(default_factory=dict)  # every good file (originals, copies, dups)
    duplicates: dict[str, str] = field(default_factory=dict)  # duplicate -> the file whose bytes it repeats
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (original, re-saved or reformatted copy)
    broken: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # hidden, system, links: never imported
    texts: dict[str, list[str]] = field(default_factory=dict)  # an original's paragraphs
    disk: dict[str, bytes] = field(default_factory=dict)  # an original's path on disk, where it is not its name

    @property
    def files(self) -> int:
        """Files of the export that an import reads (left-out entries not counted)."""
        return len(self.expected_codes) + len(self.broken)


def _sentence(rng: random.Random, arabic: bool) -> str:
    words = _ARABIC_WORDS if arabic else _WORDS
    n = rng.randint(9, 16)
    text = " ".join(rng.choice(words) for _ in range(n))
    return text + "." if arabic else text.capitalize() + "."


def _paragraphs(rng: random.Random, arabic: bool) -> list[str]:
    paras = [BOILERPLATE] if not arabic else []
    for _ in range(rng.randint(4, 7)):
        paras.append(" ".join(_sentence(rng, arabic) for _ in range(rng.randint(2, 4))))
    return paras


def _edited(rng: random.Random, paras: list[str]) -> list[str]:
    """A re-saved copy: a few words changed, a sentence added at the end (what a second editor does)."""
    out = list(paras)
    for _ in range(2):
        i = rng.randrange(len(out))
        words = out[i].split()
        words[rng.randrange(len(words))] = rng.choice(_WORDS)
        out[i] = " ".join(words)
    out.append("Updated after the partners' meeting; figures unchanged.")
    return out


def _rows(paras: list[str]) -> list[list[object]]:
    rows: list[list[object]] = [["Section", "Finding", "Households"]]
    for i, para in enumerate(paras):
        rows.append([f"Part {i + 1}", para, 10 + i])
    return rows


def _write(path: Path, fmt: str, paras: list[str]) -> None:
    if fmt == "pdf":
        make_pdf(path, paras)
    elif fmt == "docx":
        make_docx(path, paras)
    elif fmt == "xlsx":
        make_xlsx(path, _rows(paras))
    else:
        make_txt(path, "\n\n".join(paras) + "\n")


def generate(root: Path, files: int = 500, duplicates: int = 20, copies: int = 20, seed: int = 13) -> Tree:
    """Make the export under ``root`` with ``files`` files in all (originals, ``duplicates`` exact duplicates,
    ``copies`` near-duplicate copies and 5 broken files) plus the left-out entries; returns what it made."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    tree = Tree(root=root, map_file=root.parent / f"{root.name}-map.yaml")
    tree.map_file.write_text(MAP_YAML, encoding="utf-8")
    originals = files - duplicates - copies - 5 - 2  # 2: the names that are not UTF-8
    weights = [w for _f, _c, w in FOLDERS]
    formats = ["pdf", "docx", "xlsx", "txt"]
    fmt_of: dict[str, str] = {}
    for n in range(originals):
        folder, codes, _w = rng.choices(FOLDERS, weights)[0]
        arabic_text = folder.startswith("تقارير") and n % 2 == 0
        fmt = "docx" if arabic_text and n % 4 == 0 else ("txt" if arabic_text else formats[n % 4])
        if folder.startswith("Data"):
            fmt = "xlsx"
        base = f"{rng.choice(_ARABIC_NAMES)} {n}" if n % 5 == 0 else f"report_{n:03d}"
        rel = f"{folder}/{base}.{fmt}"
        paras = _paragraphs(rng, arabic_text)
        _write(root / rel, fmt, paras)
        tree.originals.append(rel)
        tree.expected_codes[rel] = codes
        tree.texts[rel] = paras
        fmt_of[rel] = fmt
    # names in bytes that are not UTF-8 (an old zip tool's Windows-1256 Arabic, a Latin-1 accent); ASCII contents
    for raw in (b"\xca\xde\xd1\xed\xd1 \xdf\xe4\xf8.txt", b"r\xe9union compte rendu.txt"):
        folder = os.fsencode(root / "Misc/unsorted")
        os.makedirs(folder, exist_ok=True)
        paras = _paragraphs(rng, False)
        with open(os.path.join(folder, raw), "wb") as fh:
            fh.write(("\n\n".join(paras) + "\n").encode())
        rel = "Misc/unsorted/" + _shown(raw)
        tree.disk[rel] = os.path.join(folder, raw)
        tree.expected_codes[rel] = []
        tree.texts[rel] = paras
        tree.originals.append(rel)
        fmt_of[rel] = "txt"
    # near-duplicates: re-saved with small edits, or in another format
    candidates = [r for r in tree.originals if fmt_of[r] in ("pdf", "docx", "txt", "xlsx")]
    for i, original in enumerate(rng.sample(candidates, copies)):
        fmt = fmt_of[original]
        kind = i % 4
        if kind == 0:
            target = fmt  # re-saved, small edits
            paras = _edited(rng, tree.texts[original])
        elif fmt == "docx" or fmt == "xlsx":
            target = "pdf" if kind != 3 else "txt"
            paras = tree.texts[original] if fmt == "docx" else _edited(rng, tree.texts[original])
        else:
            target = "docx"
            paras = tree.texts[original] if kind != 2 else _edited(rng, tree.texts[original])
        if target == fmt == "xlsx":
            paras = _edited(rng, tree.texts[original])
        folder, name = original.rsplit("/", 1)
        stem = name.rsplit(".", 1)[0]
        rel = f"{folder}/{stem} (edited {i}).{target}"
        _write(root / rel, target, paras)
        tree.pairs.append((original, rel))
        tree.expected_codes[rel] = tree.expected_codes[original]
    # exact duplicates: the same bytes elsewhere (another folder: other codes, but only one copy is imported)
    for i, original in enumerate(rng.sample(tree.originals, duplicates)):
        folder = rng.choice(FOLDERS)
        rel = f"{folder[0]}/Copy of {i} {original.rsplit('/', 1)[1]}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tree.disk.get(original) or root / original, root / rel)
        tree.duplicates[rel] = original
        tree.expected_codes[rel] = folder[1]
    # broken files
    make_truncated_pdf(root / "Assessments/Tripoli/truncated report.pdf")
    make_malformed_pdf(root / "Monitoring/2024/03/malformed.pdf")
    make_empty(root / "Minutes/Working group/empty minutes.docx")
    (root / "Data/Spreadsheets/corrupt.xlsx").write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(600)))
    (root / "تقارير/سبها/تالف.docx").write_bytes(b"PK\x03\x04\x14\x00" + b"\x00garbage" * 80)
    tree.broken = [
        "Assessments/Tripoli/truncated report.pdf",
        "Monitoring/2024/03/malformed.pdf",
        "Minutes/Working group/empty minutes.docx",
        "Data/Spreadsheets/corrupt.xlsx",
        "تقارير/سبها/تالف.docx",
    ]
    # left out: hidden and system files, lock files, a sync client's folder, symbolic links
    outside = root.parent / f"{root.name}-outside"
    make_txt(outside / "secret.txt", "Outside the export: must never be imported. " * 10)
    for rel in (".DS_Store", "Assessments/.DS_Store", "Assessments/Thumbs.db", "Minutes/desktop.ini",
                "Minutes/Working group/~$report_001.docx", "Monitoring/._report.pdf", ".dropbox",
                ".dropbox.cache/2024/cached.txt", "Misc/.hidden notes.txt"):  # fmt: skip
        make_txt(root / rel, "Hidden or system entry " + " ".join(rng.choice(_WORDS) for _ in range(40)))
        tree.left_out.append(rel.split("/")[0] if rel.startswith(".dropbox.cache") else rel)
    (root / "Misc/link to secret.txt").symlink_to(outside / "secret.txt")
    (root / "Misc/link to outside").symlink_to(outside, target_is_directory=True)
    tree.left_out += ["Misc/link to secret.txt", "Misc/link to outside"]
    return tree


def _shown(raw: bytes) -> str:
    """How the importer shows a name that is not UTF-8 (kept in step with repository.services.import_tree)."""
    from repository.services.import_tree import shown

    return shown(raw)


# ---------------------------------------------------------------------------------------------------------------
# Checking an import of the tree (shared by tests/test_dropbox_import.py and bench/dropbox_import.py)
# ---------------------------------------------------------------------------------------------------------------


def read_report(path: Path) -> list[dict[str, str]]:
    """The rows of an import's CSV report."""
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _digest(path) -> str:
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def check(tree: Tree, client, headers: dict[str, str], reports: list[Path]) -> dict[str, object]:
    """Check an import (maybe interrupted and resumed) of ``tree`` through the API as a coordinator (``client`` a
    Flask test client, ``headers`` its token) and the CSV ``reports`` of its runs, in order. Returns the figures;
    ``problems`` lists every way the import differs from what the generator made."""
    problems: list[str] = []
    rows = [row for report in reports for row in read_report(report)]
    last = read_report(reports[-1])
    found = client.get("/api/v1/search", headers=headers, query_string={"q": "", "per_page": 100}).get_json()
    ids = [h["id"] for h in found["hits"]]
    page = 2
    while len(ids) < found["total"]:
        more = client.get("/api/v1/search", headers=headers, query_string={"q": "", "per_page": 100, "page": page})
        ids += [h["id"] for h in more.get_json()["hits"]]
        page += 1
    docs = {i: client.get(f"/api/v1/documents/{i}", headers=headers).get_json() for i in ids}
    by_sha = {}
    for doc in docs.values():
        if doc["sha256"] in by_sha:
            problems.append(f"content imported twice: {doc['id']} and {by_sha[doc['sha256']]['id']}")
        by_sha[doc["sha256"]] = doc
    # which path each document came from: the reports' imported rows, and the rerun's "already imported" rows
    path_of: dict[int, str] = {}
    for row in rows:
        if row["document_id"] and (row["outcome"] == "imported" or row["reason"].startswith("already imported")):
            doc_id = int(row["document_id"])
            if row["outcome"] == "imported" and doc_id in path_of and path_of[doc_id] != row["path"]:
                problems.append(f"document {doc_id} imported from two paths")
            path_of.setdefault(doc_id, row["path"])
    imported_paths = [row["path"] for row in rows if row["outcome"] == "imported"]
    if len(imported_paths) != len(set(imported_paths)):
        problems.append("a path was imported twice")
    sha_of = {rel: _digest(tree.disk.get(rel) or tree.root / rel) for rel in tree.expected_codes}
    wanted = set(sha_of.values())
    missing = wanted - set(by_sha)
    problems += [f"content never imported: {[r for r, s in sha_of.items() if s == sha]}" for sha in sorted(missing)]
    code_errors = 0
    for doc_id, doc in docs.items():
        rel = path_of.get(doc_id)
        if rel is None:
            problems.append(f"document {doc_id} ({doc['filename']}) is in no report")
            continue
        if rel in tree.broken:
            continue
        if rel not in tree.expected_codes:
            problems.append(f"document {doc_id} from an unexpected path {rel}")
            continue
        codes = sorted(c for group in doc["codes"].values() for c in group)
        if codes != sorted(tree.expected_codes[rel]):
            code_errors += 1
            problems.append(f"{rel}: codes {codes}, expected {sorted(tree.expected_codes[rel])}")
    # broken files: refused with a reason, or imported without text with the reason
    broken_rows = {}
    for row in rows:
        if row["path"] in tree.broken and (row["outcome"] == "refused" or row["reason"].startswith("text")):
            broken_rows[row["path"]] = f"{row['outcome']}: {row['reason']}"
    problems += [f"broken file not reported: {rel}" for rel in tree.broken if rel not in broken_rows]
    # left out: never imported, and reported as skipped on the last run
    last_skipped = {row["path"]: row["reason"] for row in last if row["outcome"] == "skipped"}
    problems += [f"left-out entry not reported: {rel}" for rel in tree.left_out if rel not in last_skipped]
    for doc in docs.values():
        if "secret" in doc["filename"] or "Hidden or system entry" in doc.get("title", ""):
            problems.append(f"left-out entry imported: {doc['filename']}")
    # near-duplicates
    partners: dict[int, set[int]] = {}
    found_pairs = 0
    for original, copy in tree.pairs:
        a, b = by_sha.get(sha_of[original]), by_sha.get(sha_of[copy])
        if a is None or b is None:
            continue
        partners.setdefault(a["id"], set()).add(b["id"])
        partners.setdefault(b["id"], set()).add(a["id"])
        if b["id"] in {s["id"] for s in a["similar"]} and a["id"] in {s["id"] for s in b["similar"]}:
            found_pairs += 1
        else:
            problems.append(f"near-duplicates not found: {original} / {copy}")
    clean_above = [
        (doc_id, s["id"], s["similarity"])
        for doc_id, doc in docs.items()
        for s in doc["similar"]
        if s["id"] not in partners.get(doc_id, set())
    ]
    problems += [f"clean pair above the threshold: {a} / {b} ({sim})" for a, b, sim in clean_above]
    pair_scores = sorted(
        s["similarity"] for doc_id, doc in docs.items() for s in doc["similar"] if s["id"] in partners.get(doc_id, ())
    )
    return {
        "documents": len(docs),
        "good_contents": len(wanted),
        "code_errors": code_errors,
        "broken_reported": broken_rows,
        "left_out_reported": sum(1 for rel in tree.left_out if rel in last_skipped),
        "pairs": len(tree.pairs),
        "pairs_found": found_pairs,
        "recall": found_pairs / len(tree.pairs) if tree.pairs else 1.0,
        "clean_pairs_above_threshold": len(clean_above),
        "lowest_pair_similarity": pair_scores[0] if pair_scores else None,
        "problems": problems,
    }
