"""Uploads named like active content are refused on every channel, whatever their bytes, and nothing is kept."""

from __future__ import annotations

import io
import os

import pytest
from conftest import csrf
from conftest import login
from conftest import upload


@pytest.mark.parametrize("name", ["notes.js", "page.html", "map.svg", "setup.exe", "report.pdf.exe"])
def test_active_names_are_415_through_the_api_and_the_form(app, client, world, name):
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    r = upload(client, partner, data=b"Plain words of a field report.\n", filename=name)
    assert r.status_code == 415, r.get_json()
    assert r.get_json()["error"] == "unsupported_type" and "not accepted" in r.get_json()["message"]

    assert login(client, partner.email).status_code == 302
    r = client.post("/upload", data={"csrf_token": csrf(client, "/upload"),
                                     "file": (io.BytesIO(b"Plain words of a field report.\n"), name)},
                    content_type="multipart/form-data")
    assert r.status_code == 415 and "not accepted" in r.get_data(as_text=True)
    # nothing was kept: no document, no stored file
    assert client.get("/api/v1/search", headers=partner.headers).get_json()["total"] == 0
    stored = [n for _root, _dirs, names in os.walk(os.path.join(app.config["DATA_DIR"], "files")) for n in names
              if len(n) == 64]
    assert stored == []


def test_the_same_bytes_under_a_plain_name_are_accepted(client, world):
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    r = upload(client, partner, data=b"Plain words of a field report.\n", filename="notes.txt")
    assert r.status_code == 201 and r.get_json()["mime"] == "text/plain"
