"""Workforce API: a PCN's national benchmark (scoped like the page)."""

from ninja import Router
from ninja.errors import HttpError

from openpcn.data.workforce import benchmark as benchmark_db
from openpcn.web.platform.access import in_scope
from openpcn.web.platform.api import api_access
from openpcn.web.workforce.views import PCN_ROLES
from openpcn.workforce.benchmark import BenchmarkError

router = Router(tags=["workforce"])


@router.get(
    "/benchmark/{code}",
    summary="FTE per 10,000 patients by role against ICB and "
    "England, each figure with its sources (scoped to your PCN or ICB)",
)
@api_access(in_scope("code", "pcn", roles=PCN_ROLES))
def benchmark(request, code: str, explain: bool = False):
    bench = benchmark_db.benchmark()
    if bench is None:
        raise HttpError(404, "No national workforce (NWRS) file has been imported yet.")
    try:
        return bench.for_pcn(code.upper()).as_dict(explain=explain)
    except BenchmarkError as e:
        raise HttpError(404, str(e).strip("'\"")) from None
