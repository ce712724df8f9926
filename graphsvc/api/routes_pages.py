"""Pages for people, rendered on the server."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from graphsvc.api.deps import MembershipSummaryDep, StoreDep

# Jinja2Templates autoescapes .html templates: every user string is escaped.
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def read_home(request: Request, store: StoreDep, summary: MembershipSummaryDep) -> HTMLResponse:
    counts = store.counts()
    largest = max([c for _, c in summary.by_region] + [1])
    return templates.TemplateResponse(
        request,
        "index.html",
        {"counts": counts, "summary": summary, "largest_region": largest},
    )
