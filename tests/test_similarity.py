"""Near-duplicates (issue 13, item 2): the pure signature on real extractions of real files (a PDF and the DOCX it
came from, a re-saved copy with small edits, a spreadsheet, Arabic), and the service through the API: ``similar``
at upload and on the document page, both ways, after a replacement, the backfill, exact duplicates still refused."""

from __future__ import annotations

import random

from conftest import GATE_CODES
from conftest import accounts
from conftest import svc
from conftest import upload
from filefactory import make_docx
from filefactory import make_pdf
from filefactory import make_txt
from filefactory import make_xlsx

from indexer.extract import extract_text
from indexer.formats import DOCX
from indexer.formats import PDF
from indexer.formats import XLSX
from repository.knowledge import similarity as sim

WORDS = (
    "access water shelter rent school registry documents family household council volunteer committee district "
    "municipality road checkpoint clinic referral legal aid health cash voucher winter blanket distribution women "
    "men girls boys elderly disability returnees displaced host community tension eviction landlord contract "
    "salary market prices fuel electricity generator bakery flour medicine pharmacy doctor detention lawyer court"
).split()


def _paras(seed: int, n: int = 6) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(35)).capitalize() + "." for _ in range(n)]


def _edit(paras: list[str]) -> list[str]:
    out = list(paras)
    words = out[2].split()
    words[5] = "amended"
    out[2] = " ".join(words)
    out.append("Updated after the partners' meeting.")
    return out


def test_a_pdf_and_the_docx_it_was_made_from_match(tmp_path):
    paras = _paras(1)
    pdf = extract_text(make_pdf(tmp_path / "r.pdf", paras), PDF)
    docx = extract_text(make_docx(tmp_path / "r.docx", paras), DOCX)
    assert pdf != docx  # line breaks differ: the PDF wraps its lines
    assert sim.similarity(sim.signature(pdf), sim.signature(docx)) >= 0.9


def test_a_resaved_copy_with_small_edits_matches_and_an_unrelated_report_does_not(tmp_path):
    paras = _paras(2)
    a = sim.signature(extract_text(make_docx(tmp_path / "a.docx", paras), DOCX))
    b = sim.signature(extract_text(make_docx(tmp_path / "b.docx", _edit(paras)), DOCX))
    c = sim.signature(extract_text(make_docx(tmp_path / "c.docx", _paras(3)), DOCX))
    assert sim.similarity(a, b) >= 0.7
    assert sim.similarity(a, c) < 0.2
    assert set(sim.band_keys(a)) & set(sim.band_keys(b))  # the LSH look-up finds the pair
    assert not set(sim.band_keys(a)) & set(sim.band_keys(c))


def test_a_spreadsheet_and_its_text_copy_match(tmp_path):
    paras = _paras(4)
    rows = [["Part", "Finding"]] + [[f"Part {i}", p] for i, p in enumerate(paras)]
    xlsx = extract_text(make_xlsx(tmp_path / "t.xlsx", rows), XLSX)
    txt = "\n\n".join(paras)
    assert sim.similarity(sim.signature(xlsx), sim.signature(txt)) >= 0.6


def test_normalisation():
    assert sim.words("Assess-\nment of the ﻻ ٣٤ «Sebha»") == ["assessment", "of", "the", "لا", "34", "sebha"]
    assert sim.words("الحِمَايَة أحمد إلى مدرسة") == sim.words("الحمايه احمد الي مدرسه")
    assert sim.signature("too short to compare " * 5) is None
    s = sim.signature(" ".join(_paras(5)))
    assert sim.Signature.from_hex(s.to_hex()).hashvalues == s.hashvalues
    assert len(s.to_hex()) == 8 * sim.NUM_PERM and len(sim.band_keys(s)) == sim.BANDS


def test_similar_both_ways_at_upload_and_on_the_page(app, world, client, tmp_path):
    people = accounts(world, "partner", "coord")
    partner, coord = people["partner"], people["coord"]
    paras = _paras(6)
    first = upload(client, partner, path=make_docx(tmp_path / "report.docx", paras), codes=list(GATE_CODES))
    assert first.status_code == 201 and first.json["similar"] == []
    second = upload(client, partner, path=make_pdf(tmp_path / "report.pdf", paras), codes=list(GATE_CODES))
    assert second.status_code == 201
    a, b = first.json["id"], second.json["id"]
    assert [s["id"] for s in second.json["similar"]] == [a] and second.json["similar"][0]["similarity"] >= 0.9
    assert [s["id"] for s in client.get(f"/api/v1/documents/{a}", headers=coord.headers).json["similar"]] == [b]
    other = upload(client, partner, path=make_txt(tmp_path / "other.txt", "\n".join(_paras(7))))
    assert other.json["similar"] == []
    # the exact same bytes are still refused as a duplicate
    again = upload(client, partner, path=tmp_path / "report.pdf", filename="again.pdf")
    assert again.status_code == 409 and again.json["document_id"] == b
    # the page names it, with its title
    from conftest import browser_for

    page = browser_for(app, coord).get(f"/documents/{a}").get_data(as_text=True)
    assert 'id="similar"' in page and f'href="/documents/{b}"' in page and "report" in page


def test_a_replaced_file_changes_the_near_duplicates(app, world, client, tmp_path):
    partner = accounts(world, "partner")["partner"]
    a = upload(client, partner, path=make_docx(tmp_path / "a.docx", _paras(8))).json["id"]
    b = upload(client, partner, path=make_docx(tmp_path / "b.docx", _paras(9))).json["id"]
    assert client.get(f"/api/v1/documents/{b}", headers=partner.headers).json["similar"] == []
    with open(make_docx(tmp_path / "b2.docx", _edit(_paras(8))), "rb") as fh:
        r = client.post(f"/api/v1/documents/{b}/file", headers=partner.headers,
                        data={"file": (fh, "b2.docx")}, content_type="multipart/form-data")  # fmt: skip
    assert r.status_code == 200, r.json
    assert [s["id"] for s in r.json["similar"]] == [a]


def test_backfill_signs_documents_from_before_the_migration(app, world, client, tmp_path):
    from sqlalchemy import delete

    from repository.data import db
    from repository.data.models import SimilarityBand
    from repository.data.models import SimilaritySignature

    partner = accounts(world, "partner")["partner"]
    a = upload(client, partner, path=make_docx(tmp_path / "a.docx", _paras(10))).json["id"]
    b = upload(client, partner, path=make_pdf(tmp_path / "b.pdf", _paras(10))).json["id"]
    s = svc(app)
    with db.write(s.session):
        s.session.execute(delete(SimilarityBand))
        s.session.execute(delete(SimilaritySignature))
    assert client.get(f"/api/v1/documents/{a}", headers=partner.headers).json["similar"] == []
    assert s.similarity.backfill(batch=1) == 2
    assert s.similarity.backfill() == 0
    s.session.close()
    assert [x["id"] for x in client.get(f"/api/v1/documents/{a}", headers=partner.headers).json["similar"]] == [b]


def test_an_uploaded_spreadsheet_has_its_text(world, client, tmp_path):
    """Stored files are named by their digest, without a suffix: the spreadsheet reader must not need one."""
    partner = accounts(world, "partner")["partner"]
    r = upload(client, partner, path=make_xlsx(tmp_path / "t.xlsx", [["District", "Zqxlsxword households"]]))
    assert r.status_code == 201 and r.json["text_status"] == "ok", r.json


def test_reindex_signs_documents_without_a_signature(app, world, client, tmp_path):
    from sqlalchemy import delete

    from repository.data import db
    from repository.data.models import SimilarityBand
    from repository.data.models import SimilaritySignature

    partner = accounts(world, "partner")["partner"]
    a = upload(client, partner, path=make_docx(tmp_path / "a.docx", _paras(11))).json["id"]
    b = upload(client, partner, path=make_txt(tmp_path / "b.txt", "\n\n".join(_paras(11)))).json["id"]
    s = svc(app)
    with db.write(s.session):
        s.session.execute(delete(SimilarityBand))
        s.session.execute(delete(SimilaritySignature))
    s.session.close()
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0 and "Near-duplicate signatures added for 2 documents." in result.output
    assert [x["id"] for x in client.get(f"/api/v1/documents/{b}", headers=partner.headers).json["similar"]] == [a]
