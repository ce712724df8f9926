"""Where to go after signing in: the page someone asked for while signed out,
carried in a ``next`` parameter.

Only a path on this site is followed. Anything else (another host written as
``//host`` or ``/\\host``, which browsers read as a host too; a scheme such as
``https:`` or ``javascript:``; control characters) is ignored, so that a link to
the sign-in page cannot send someone elsewhere once they have signed in.
"""

from urllib.parse import quote, urlsplit

from starlette.requests import Request

MOST = 2000  # characters: longer is no page of ours


def safe_next(asked: str | None) -> str | None:
    """``asked`` if it is a relative path on this site ("/..." but not "//..."), else None."""
    if not asked or len(asked) > MOST or not asked.startswith("/"):
        return None
    if asked.startswith("//") or "\\" in asked:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in asked):
        return None
    parts = urlsplit(asked)
    if parts.scheme or parts.netloc:
        return None
    return asked


def sign_in_for(request: Request) -> str:
    """The sign-in page's address, returning afterwards to the page ``request`` asked for."""
    asked = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if asked == "/" or safe_next(asked) is None:
        return "/sign-in"
    return "/sign-in?next=" + quote(asked, safe="")
