"""The whole path once: upload, review, search, download."""

from conftest import login
from conftest import text_report
from conftest import upload


def test_end_to_end(client, world):
    partner = world.account("p@drc.example.org", "partner", "DRC")
    coord = world.account("c@pswg.example.org", "coordinator", "PSWG")
    staff = world.account("s@unhcr.example.org", "staff", "UNHCR")
    r = upload(client, partner, data=text_report("Detention conditions in Sebha"), filename="sebha.txt",
               title="Sebha detention", codes=["doc_type:situation_report", "location:LY0319"])
    assert r.status_code == 201, r.json
    doc = r.json
    assert doc["state"] == "submitted"
    assert doc["codes"] == {"doc_type": ["doc_type:situation_report"], "location": ["location:LY0319"]}
    assert client.get(f"/api/v1/documents/{doc['id']}", headers=staff.headers).status_code == 404
    assert client.get("/api/v1/search?q=sebha", headers=staff.headers).json["total"] == 0
    r = client.post(f"/api/v1/documents/{doc['id']}/review", headers=coord.headers,
                    json={"action": "release", "level": "restricted", "rationale": "Aggregated; no identifiers.",
                          "risks": ["re_identification"], "benefits": ["coordination"]})
    assert r.status_code == 200, r.json
    res = client.get("/api/v1/search?q=sebha", headers=staff.headers).json
    assert res["total"] == 1 and "<mark>Sebha</mark>" in res["hits"][0]["snippet"]
    assert res["facets"]["location"]["location:LY03"] == 1
    f = client.get(f"/api/v1/documents/{doc['id']}/file", headers=staff.headers)
    assert f.status_code == 200 and f.data.startswith(b"Protection monitoring")
    assert "attachment" in f.headers["Content-Disposition"]
    f.close()
    assert client.get("/api/v1/search?q=sebha").json["total"] == 0
    assert login(client, staff.email).status_code == 302
    page = client.get(f"/documents/{doc['id']}")
    assert page.status_code == 200 and b"Sebha detention" in page.data
