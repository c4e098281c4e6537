from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from resumeproject.accounts import views as accounts_views
from resumeproject.api import views as api_views

# The REST API (docs/api.md): each app's endpoints live in the app (matching/api/,
# training/api/); all of them share the "api" namespace.
api_v1 = [
    path("auth/token/", api_views.TokenObtainApi.as_view(), name="token"),
    path("", include("matching.api.urls")),
    path("", include("training.api.urls")),
    path("", include("fairness.api")),
]
api = [
    path("v1/", include(api_v1)),
    path("schema/", api_views.SchemaView.as_view(), name="schema"),
    path("docs/", api_views.docs_view, name="docs"),
    # Anything else under /api/: a 404 in the API's error body, not Django's HTML page.
    re_path(r"", api_views.UnknownPathApi.as_view()),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/token/", accounts_views.token_page, name="token"),
    path("api/", include((api, "api"))),
    path("fairness/", include("fairness.urls")),
    path("", include("matching.urls")),
]
