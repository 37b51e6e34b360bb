"""The avatars resource: upload (PUT), fetch (GET, public, cacheable), remove (DELETE)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Header, Request, Response, UploadFile, status

from service.accounts import avatars as service
from service.accounts.avatar_uploads import check_upload, store_upload
from service.api.declared_routes import declared
from service.api.deps import (
    AvatarMultipart,
    AvatarStore,
    Decoder,
    Metrics,
    OwnedUser,
    SettingsDep,
    UserIdPath,
    Users,
)
from service.api.user_views import to_read
from service.avatars.errors import AvatarNotFound
from service.http.caching import none_match, strong_etag
from service.http.media_types import IMAGE_MEDIA_TYPES
from service.http.problems import problem_responses
from service.http.routing import ServiceRoute
from service.users import repository
from service.users.schemas import UserRead

router = APIRouter(
    prefix="/users/{user_id}/avatar", tags=["avatars"], route_class=declared(ServiceRoute)
)

# The `file` part is an image: clients (and schemathesis) learn which kinds from this.
_IMAGE_PART = {"encoding": {"file": {"contentType": IMAGE_MEDIA_TYPES}}}
_UPLOAD_BODY = {"requestBody": {"content": {"multipart/form-data": _IMAGE_PART}}}

AvatarFile = Annotated[
    UploadFile,
    File(
        description="PNG, JPEG, WebP or GIF; re-encoded to WebP, at most 512 px a side.",
        # `format: binary` too, so every OpenAPI tool (3.0-minded ones included) sees a file.
        json_schema_extra={"format": "binary"},
    ),
]


@router.put(
    "",
    response_model=UserRead,
    dependencies=[AvatarMultipart],
    summary="Upload an avatar",
    description="The user or an admin. Multipart with one `file` part: PNG, JPEG, WebP or GIF "
    "(detected from the bytes, not the name), at most 2 MiB and 4096x4096 pixels. The image "
    "is re-encoded as WebP (longest side 512 px, first frame of an animation) with all "
    "metadata, EXIF and GPS included, removed. Replaces any previous avatar.",
    responses=problem_responses(400, 401, 403, 404, 413, 415, 422, 503),
    openapi_extra=_UPLOAD_BODY,
)
async def upload_avatar(
    user: OwnedUser,
    file: AvatarFile,
    request: Request,
    users: Users,
    storage: AvatarStore,
    decoder: Decoder,
    metrics: Metrics,
) -> UserRead:
    """Set the avatar."""
    data = await file.read()
    image = await check_upload(data, decoder, metrics)
    updated = await store_upload(users, user, image, len(data), storage, metrics)
    return to_read(updated, request)


@router.get(
    "",
    response_class=Response,
    summary="Get an avatar",
    description="Public. The image bytes with `ETag` and `Cache-Control`; `If-None-Match` "
    "gives 304. One and the same 404 whether the user does not exist or has no avatar, so "
    "this public route does not tell which ids belong to users.",
    responses={
        200: {"content": {"image/webp": {}}, "description": "The avatar image."},
        304: {"description": "Not Modified"},
        **problem_responses(404, 422, 503),
    },
)
async def get_avatar(
    user_id: UserIdPath,
    settings: SettingsDep,
    storage: AvatarStore,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The avatar image."""
    user = await repository.find_user(user_id)
    if user is None or user.avatar is None:
        raise AvatarNotFound
    headers = {"Cache-Control": f"public, max-age={settings.avatar_cache_max_age_s}"}
    etag = strong_etag(user.avatar.etag)
    if none_match(if_none_match, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag, **headers})
    avatar = await service.load_avatar(user, storage)
    return Response(
        avatar.data,
        media_type=avatar.media_type,
        headers={"ETag": strong_etag(avatar.etag), **headers},
    )


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an avatar",
    description="The user or an admin. Removes the avatar (and its stored bytes); 204 also "
    "when there was none.",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def delete_avatar(user: OwnedUser, users: Users, storage: AvatarStore) -> Response:
    """Remove the avatar."""
    await service.remove_avatar(users, user, storage)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
