"""In Chromium: a line typed in Welsh gets its English wording in the builder (a new version),
the Welsh builder offers the same in Welsh, and the outline page downloads Welsh and English
side by side."""

import json

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations
from .test_outline_flow import sign_in, workshop_in_build  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser
TYPED_CY = "Yn ffonio pobl yn ôl yr un diwrnod"
TYPED_EN = "Rings people back the same day"


def test_a_line_gets_its_other_wording_and_downloads_side_by_side(
        live_server, workshop_in_build, open_context):  # noqa: F811 (the fixture imported above)
    context = open_context(accept_downloads=True, viewport={"width": 1400, "height": 2000})
    page = context.new_page()
    sign_in(page, live_server)
    base = f"{live_server.url}/workshops/{workshop_in_build}/outlines"
    page.goto(f"{base}/build")
    expect(page.get_by_role("heading", name="Navigator outline")).to_be_visible()

    page.get_by_label("Add a line typed in the room to key responsibilities").fill(TYPED_CY)
    page.get_by_label("Written in").first.select_option("cy")
    page.get_by_role("button", name="Add line to key responsibilities").click()
    line = page.locator(".coprod-line", has_text=TYPED_CY)
    expect(line.locator(".coprod-line__text")).to_have_attribute("lang", "cy")

    page.get_by_role("button", name=f"Add the English wording: {TYPED_CY}").click()
    wording = page.get_by_role("textbox", name="English wording")
    expect(wording).to_be_focused()
    assert axe_violations(page) == []
    wording.fill(TYPED_EN)
    page.get_by_role("button", name="Save the wording").click()
    expect(line.locator(".coprod-line__other")).to_have_text(f"In English: {TYPED_EN}")
    expect(line.locator(".coprod-line__other span")).to_have_attribute("lang", "en-GB")
    expect(page.locator("#version-banner")).to_contain_text("Version 3: draft")
    expect(page.get_by_role("button", name=f"Change the English wording: {TYPED_CY}")).to_be_focused()

    # The same builder in Welsh offers the same, in Welsh.
    page.goto(f"{base}/build?lang=cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("button", name=f"Newid y geiriad Saesneg: {TYPED_CY}")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(f"{base}/?lang=en")
    page.get_by_role("radio", name="Welsh and English side by side").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download JSON").click()
    document = json.loads(open(download_info.value.path(), "rb").read())
    assert document["language"] == "both"
    lines = [item for outline in document["outlines"] for section in outline["sections"]
             for item in section["items"]]
    typed = next(item for item in lines if item["language"] == "cy")
    assert typed["wordings"] == {"cy": TYPED_CY, "en": TYPED_EN}
    assert typed["translated_by"] and typed["translated_at"]
