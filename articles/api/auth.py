"""``POST /api/v1/auth/token/``: a username and password for the account's API token.

A password form, so it has the login form's limit: ``LWNKB_LOGIN_RATE_LIMIT``
attempts per client address per ``LWNKB_LOGIN_RATE_WINDOW`` seconds, counted
apart from the admin login (its own throttle scope) and answered 429 with
``Retry-After`` past it. The same token comes back on every call until staff
delete it in admin, so a script may ask again instead of storing it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from articles.api.errors import error_response
from lwnkb.security import client_address


class TokenThrottle(SimpleRateThrottle):
    """Token requests per client address, at the login form's rate (read per request)."""

    scope = "token"

    def __init__(self) -> None:
        # Not DRF's rate strings: the login limit's count and window, looked up now so
        # a changed setting applies (override_settings in tests).
        self.num_requests = settings.LOGIN_RATE_LIMIT
        self.duration = settings.LOGIN_RATE_WINDOW
        self.rate = f"{self.num_requests} per {self.duration} s"  # not None: throttled

    def allow_request(self, request: Request, view: APIView) -> bool:
        # Only password attempts count: a GET (answered 405) tries nothing.
        return request.method != "POST" or super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: APIView) -> str:
        ident = client_address(request._request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenSerializer(serializers.Serializer[dict[str, Any]]):
    token = serializers.CharField(help_text='Send as "Authorization: Token <token>"')


class TokenView(APIView):
    """Exchange a username and password for the account's API token."""

    authentication_classes: list[type] = []  # credentials are the body, not a session
    permission_classes: list[type] = []
    throttle_classes = [TokenThrottle]

    @extend_schema(
        summary="Get the API token of an account",
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: error_response("Missing fields, or a wrong username or password"),
            429: error_response("Too many attempts from this address"),
        },
        examples=[
            OpenApiExample(
                "Credentials",
                value={"username": "alice", "password": "correct horse"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        """200 with the token; 400 for wrong credentials or an inactive account."""
        body = AuthTokenSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=body.validated_data["user"])
        return Response({"token": token.key})
