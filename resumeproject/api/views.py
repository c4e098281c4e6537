"""The API's endpoints that belong to no app: the token, the schema, the interactive docs,
and the JSON 404 for any other path under /api/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import Resolver404, resolve
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from resumeproject.api import throttling


class TokenOut(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class TokenObtainApi(APIView):
    """The one endpoint open without credentials: it trades a username and password for
    the user's API token (the same token every time, until an admin deletes it)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [throttling.MethodScopedRateThrottle]
    throttle_scope = throttling.AUTH

    @extend_schema(
        summary="Get an API token", request=AuthTokenSerializer, responses=TokenOut, auth=[]
    )
    def post(self, request: Request) -> Response:
        # Django's request, not DRF's wrapper: the login lock-out (django-axes) flags the
        # request it is given, and its middleware answers for the one Django handles.
        data_in = AuthTokenSerializer(data=request.data, context={"request": request._request})
        data_in.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=data_in.validated_data["user"])
        return Response(TokenOut({"token": token.key}).data)


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema: JSON by default (and so are its errors, like every other
    answer of the API); YAML with `Accept: application/yaml` or `?format=yaml`."""

    renderer_classes = [
        OpenApiJsonRenderer2,
        OpenApiJsonRenderer,
        OpenApiYamlRenderer,
        OpenApiYamlRenderer2,
    ]


# Swagger UI from this project's static files (SPECTACULAR_SETTINGS["SWAGGER_UI_DIST"]);
# people who are not signed in are sent to the login page first. The split view serves
# its start-up script from this URL (?script) instead of inline, as the
# Content-Security-Policy requires.
docs_view = login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))


class UnknownPathApi(APIView):
    """Any other path under /api/: a 404 in the API's error body, not Django's HTML page."""

    schema = None  # not an operation of the schema
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        message = "Not found."
        if not request.path.endswith("/"):
            try:
                resolve(request.path + "/")
            except Resolver404:
                pass
            else:
                message = f"Not found. Did you mean {request.path}/ (with the final slash)?"
        raise NotFound(message)
