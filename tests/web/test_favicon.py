"""The site's icon: linked from every page's head, and at /favicon.ico for clients that only look there."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_pages_link_the_icon_and_favicon_ico_points_to_it(client):
    icon = static("favicon.svg")
    page = client.get("/").content.decode()
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == icon  # not 404
    found = finders.find("favicon.svg")
    assert found and "<svg" in Path(found).read_text()
