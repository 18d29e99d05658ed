"""URL map. Every view declares its access rule (see openpcn.web.platform.access)."""

from django.contrib import admin
from django.urls import include, path

from openpcn.web.neighbourhoods import views as neighbourhood_views
from openpcn.web.platform import auth, errors
from openpcn.web.site import account, audit_log, pages
from openpcn.web.site.api import api

web_patterns = (
    [
        path("", pages.home, name="home"),
        path("about/", pages.about, name="about"),
        path("sign-in/", auth.sign_in, name="login"),
        path("sign-out/", auth.sign_out, name="logout"),
        path("dashboard/", pages.dashboard, name="dashboard"),
        path("icb/<str:code>/", pages.icb, name="icb"),
        path(
            "icb/<str:code>/neighbourhoods/",
            neighbourhood_views.icb_neighbourhoods,
            name="icb-neighbourhoods",
        ),
        path(
            "icb/<str:code>/neighbourhoods.csv",
            neighbourhood_views.icb_neighbourhoods_csv,
            name="icb-neighbourhoods-csv",
        ),
        path("network/<str:code>/", pages.network, name="network"),
        path(
            "network/<str:code>/residence/",
            neighbourhood_views.pcn_residence,
            name="pcn-residence",
        ),
        path(
            "network/<str:code>/residence.csv",
            neighbourhood_views.pcn_residence_csv,
            name="pcn-residence-csv",
        ),
        path("practice/<str:code>/", pages.practice, name="practice"),
        path("caseload/", pages.caseload, name="caseload"),
        path("account/tokens/", account.tokens, name="tokens"),
        path("account/tokens/<str:key_id>/revoke/", account.revoke_token, name="revoke-token"),
        path("audit/", audit_log.audit_log, name="audit"),
    ],
    "web",
)

admin.site.site_header = "OpenPCN administration"
admin.site.login = auth.sign_in  # one sign-in page, with lockout

urlpatterns = [
    path("", include(web_patterns)),
    path("explore/", include("openpcn.web.registry.urls")),
    path("", include("openpcn.web.workforce.urls")),
    path("", include("openpcn.web.services.urls")),
    path("", include("openpcn.web.finance.urls")),
    path("", include("openpcn.web.population.urls")),
    path("", include("openpcn.web.rota.urls")),
    path("", include("openpcn.web.rules.urls")),
    path("", include("openpcn.web.scenarios.urls")),
    path("", include("openpcn.web.governance.urls")),
    path("neighbourhoods/", include("openpcn.web.neighbourhoods.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = errors.bad_request
handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
