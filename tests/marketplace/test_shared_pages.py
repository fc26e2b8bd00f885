"""marketplace.shared_pages without content to name (the ORM's reading of a profile, on the
SQLite quickstart): every visit renders. Sharing itself: tests/scoring/test_shared_profile_pages."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from marketplace.shared_pages import shared_page


def test_a_page_that_names_no_content_is_rendered_every_time():
    renders = []

    def render():
        renders.append(1)
        return HttpResponse(f"page {len(renders)}")

    request = RequestFactory().get("/p/someone/")
    request.user = AnonymousUser()
    pages = [shared_page(request, None, render).content for _ in range(2)]

    assert pages == [b"page 1", b"page 2"]
