from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import throttling
from api.serializers.auth import TokenOut


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
        data_in = AuthTokenSerializer(data=request.data, context={"request": request})
        data_in.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=data_in.validated_data["user"])
        return Response(TokenOut({"token": token.key}).data)
