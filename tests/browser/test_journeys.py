"""What an analyst does with the demo story, in a real browser."""

import csv
import io
import re

from playwright.sync_api import expect

from giftapp.demo import GIFTS, SOURCES
from giftapp.models import Gift

CSV_HEADER = (
    "id,date,giver,giver_country,recipient,recipient_country,visit,item,description,category,"
    "quantity,value,currency,value_usd,value_note,disposition,sanctions,sources,"
    "giver_as_reported,recipient_as_reported,notes,publication_status"
)
PUTIN_TO_KIM = ["G3", "G4", "G5", "G6"]
PYONGYANG_GIFTS = ["G1", "G2", "G3", "G4", "G5"]
VISIT_SLUGS = {
    "pyongyang": "putin-state-visit-to-the-dprk-2024",
    "vostochny": "kim-jong-un-visit-to-russia-2023",
}
FLAGGED = {"G3", "G6"}
LEADER_NAMES = {"putin": "Vladimir Putin", "kim": "Kim Jong Un"}
COUNTRIES = {"putin": "RU", "kim": "KP"}


def item(key):
    return GIFTS[key]["item"]


def expected_csv_row(key, gift_id):
    """The interchange CSV row docs/interchange.md prescribes for a demo gift, as the
    public sees it."""
    story = GIFTS[key]
    return {
        "id": str(gift_id),
        "date": story["date"].isoformat(),
        "giver": LEADER_NAMES[story["giver"]],
        "giver_country": COUNTRIES[story["giver"]],
        "recipient": LEADER_NAMES[story["recipient"]],
        "recipient_country": COUNTRIES[story["recipient"]],
        "visit": VISIT_SLUGS[story["visit"]],
        "item": story["item"],
        "description": "",
        "category": str(story["category"]),
        "quantity": "" if story["quantity"] is None else str(story["quantity"]),
        "value": "",
        "currency": "",
        "value_usd": "",
        "value_note": "undisclosed",
        "disposition": "unknown",
        "sanctions": "UN-SC1718:alleged" if key in FLAGGED else "",
        "sources": " ".join(sorted(SOURCES[s]["url"] for s in story["sources"])),
        "giver_as_reported": "",
        "recipient_as_reported": "",
        "notes": story["notes"],
        "publication_status": "published",
    }


def results_table(page):
    return page.get_by_role("main").get_by_role("table")


def data_rows(table):
    return table.get_by_role("row").filter(has=table.page.get_by_role("cell"))


def test_analyst_filters_gifts_to_north_korea_and_downloads_them_as_csv(page, screenshot):
    page.goto("/gifts/")
    recipients = page.locator(".facet-group").filter(
        has=page.get_by_role("heading", name="Recipient country", exact=True)
    )
    recipients.get_by_role("link", name="North Korea", exact=True).click()

    page.wait_for_url(re.compile(r"/gifts/\?(.*&)?recipient_country=KP(&|$)"))
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"\b4 gifts\b"))
    table = results_table(page)
    expect(data_rows(table)).to_have_count(4)
    for key in PUTIN_TO_KIM:
        expect(table.get_by_role("link", name=item(key), exact=True)).to_be_visible()
    expect(table.get_by_role("link", name=item("G1"), exact=True)).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    data = download.path().read_bytes()
    screenshot(page, "journey-1-gifts-to-north-korea")

    assert download.suggested_filename.endswith(".csv")
    assert not data.startswith(b"\xef\xbb\xbf"), "the CSV starts with a byte-order mark"
    assert data.count(b"\n") == data.count(b"\r\n"), "the CSV has a line end that is not CRLF"
    assert data.split(b"\r\n", 1)[0].decode() == CSV_HEADER
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    ids = dict(
        Gift.objects.filter(item__in=[item(k) for k in PUTIN_TO_KIM]).values_list("item", "pk")
    )
    expected = sorted(
        (expected_csv_row(key, ids[item(key)]) for key in PUTIN_TO_KIM), key=lambda r: int(r["id"])
    )
    assert rows == expected


def test_analyst_follows_the_timeline_to_the_pyongyang_visit(page, screenshot):
    page.goto("/timeline/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Timeline")
    year_2023 = main.get_by_role("heading", name="2023", exact=True)
    year_2024 = main.get_by_role("heading", name="2024", exact=True)
    vostochny = main.get_by_role("link", name="Kim Jong Un's visit to Russia", exact=True).first
    pyongyang = main.get_by_role("link", name="Putin's state visit to the DPRK", exact=True).first
    for landmark in (year_2023, vostochny, year_2024, pyongyang):
        expect(landmark).to_be_visible()
    tops = [box["y"] for box in (e.bounding_box() for e in (year_2023, vostochny, year_2024))]
    tops.append(pyongyang.bounding_box()["y"])
    assert tops == sorted(tops), "the timeline does not read 2023, Vostochny, 2024, Pyongyang"
    text = main.inner_text()
    assert "Vostochny Cosmodrome" in text
    assert text.index("Vostochny Cosmodrome") < text.index("Kumsusan Guesthouse")
    screenshot(page, "journey-2-timeline")

    pyongyang.click()

    page.wait_for_url(f"**/visits/{VISIT_SLUGS['pyongyang']}/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Putin's state visit to the DPRK")
    expect(main).to_contain_text("Pyongyang")
    for key in PYONGYANG_GIFTS:
        expect(main.get_by_role("link", name=item(key), exact=True).first).to_be_visible()
    expect(main.get_by_role("link", name=item("G6"), exact=True)).to_have_count(0)
    screenshot(page, "journey-2-visit-pyongyang")


def test_analyst_goes_from_a_gift_to_its_giver_and_the_givers_country(page, screenshot):
    dogs = Gift.objects.get(item=item("G1"))
    page.goto(dogs.get_absolute_url())
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Two Pungsan hunting dogs")
    expect(main).to_contain_text("19 June 2024")
    screenshot(page, "journey-3-gift-dogs")

    main.get_by_role("link", name="Kim Jong Un", exact=True).first.click()

    page.wait_for_url("**/leaders/kim-jong-un/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Kim Jong Un\b"))
    expect(main).to_contain_text("김정은")
    expect(main.get_by_role("link", name=item("G1"), exact=True).first).to_be_visible()
    screenshot(page, "journey-3-leader-kim")

    main.get_by_role("link", name="North Korea", exact=True).first.click()

    page.wait_for_url(re.compile(r"/countries/kp/$", re.I))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("North Korea")
    expect(main.get_by_role("link", name=item("G6"), exact=True).first).to_be_visible()
    screenshot(page, "journey-3-country-north-korea")
