"""The JSON API (Django Ninja) under /api/: one NinjaAPI holding every domain's router."""

from __future__ import annotations

from ninja import NinjaAPI

from openpcn.web.finance.api import router as finance_router
from openpcn.web.governance.api import router as governance_router
from openpcn.web.neighbourhoods.api import router as neighbourhoods_router
from openpcn.web.platform.api import ApiAuth, install_error_handlers
from openpcn.web.population.api import router as population_router
from openpcn.web.registry.api import router as registry_router
from openpcn.web.scenarios.api import router as scenarios_router
from openpcn.web.scenarios.icb_api import router as icb_scenarios_router
from openpcn.web.services.api import router as services_router
from openpcn.web.site.api_core import router as core_router
from openpcn.web.workforce.api import router as workforce_router

api = NinjaAPI(
    title="OpenPCN API",
    version="1",
    description="Every figure OpenPCN shows, as JSON, with the rule and data behind it. "
    "Authenticate with `Authorization: Bearer <token>` (create tokens when signed in).",
    auth=ApiAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/registry", registry_router)
api.add_router("/workforce", workforce_router)
api.add_router("/services", services_router)
api.add_router("/finance", finance_router)
api.add_router("/population", population_router)
api.add_router("/neighbourhoods", neighbourhoods_router)
api.add_router("/plans", scenarios_router)
api.add_router("/icb-plans", icb_scenarios_router)
api.add_router("/governance", governance_router)
