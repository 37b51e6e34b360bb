// The generated client against the live service whose URL is in USERS_SERVICE_URL
// (tests/clients/test_typescript_client.py starts it and runs `npm test`).
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";

import {
  authRefresh,
  authToken,
  type Problem,
  type TokenPair,
  type UserRead,
  usersAvatarUpload,
  usersCreate,
  usersGet,
  usersList,
  usersMeGet,
  usersMeUpdate,
} from "../src/client";
import { createClient, createConfig } from "../src/client/client";

const baseUrl = process.env.USERS_SERVICE_URL;
if (!baseUrl) throw new Error("USERS_SERVICE_URL is not set: the suite needs a live service");
const anonymous = createClient(createConfig({ baseUrl }));
const PASSWORD = `ts-${randomUUID()}`;
// A 1x1 PNG: the smallest image the avatar upload accepts and re-encodes.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

async function register(prefix: string): Promise<UserRead> {
  const username = `${prefix}${randomUUID().slice(0, 8)}`;
  const { data, response } = await usersCreate({
    client: anonymous,
    body: { username, email: `${username}@example.com`, password: PASSWORD },
  });
  equal(response.status, 201);
  ok(data);
  equal(response.headers.get("location")?.endsWith(`/users/${data.id}`), true);
  return data;
}

async function logIn(username: string): Promise<TokenPair> {
  const { data, response } = await authToken({
    client: anonymous,
    body: { username, password: PASSWORD },
  });
  equal(response.status, 200);
  ok(data);
  return data;
}

function as(tokens: TokenPair) {
  return createClient(createConfig({ baseUrl, auth: tokens.access_token }));
}

test("register, log in, refresh, read me", async () => {
  const user = await register("tsme");
  const tokens = await logIn(user.username);
  const refreshed = await authRefresh({
    client: anonymous,
    body: { refresh_token: tokens.refresh_token },
  });
  equal(refreshed.response.status, 200);
  ok(refreshed.data);
  notEqual(refreshed.data.refresh_token, tokens.refresh_token);
  // The refresh token was rotated: the old one is refused, as a typed problem.
  const reused = await authRefresh({
    client: anonymous,
    body: { refresh_token: tokens.refresh_token },
  });
  equal(reused.response.status, 401);
  const me = await usersMeGet({ client: as(refreshed.data) });
  equal(me.response.status, 200);
  equal(me.data?.id, user.id);
  equal(me.data?.email, user.email);
});

test("an update with a stale If-Match is a 412 problem", async () => {
  const user = await register("tsetag");
  const client = as(await logIn(user.username));
  const read = await usersMeGet({ client });
  const etag = read.response.headers.get("etag");
  ok(etag);
  const updated = await usersMeUpdate({
    client,
    body: { name: "First Name" },
    headers: { "if-match": etag },
  });
  equal(updated.response.status, 200);
  equal(updated.data?.name, "First Name");
  // The ETag read before the update is stale now.
  const stale = await usersMeUpdate({
    client,
    body: { name: "Second Name" },
    headers: { "if-match": etag },
  });
  equal(stale.response.status, 412);
  equal(stale.data, undefined);
  const problem: Problem | undefined = stale.error;
  ok(problem);
  equal(problem.status, 412);
  equal(typeof problem.title, "string");
  equal((await usersMeGet({ client })).data?.name, "First Name");
});

test("list every user page by page through the Link header", async () => {
  const prefix = `tspage${randomUUID().slice(0, 6)}`;
  const created = new Set<string>();
  for (let i = 0; i < 5; i++) created.add((await register(prefix)).username);
  const client = as(await logIn([...created][0]));
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await usersList({ client, query: { q: prefix, limit: 2, cursor } });
    equal(page.response.status, 200);
    ok(page.data);
    seen.push(...page.data.map((user) => user.username));
    pages += 1;
    const next = /<([^>]+)>;\s*rel="next"/.exec(page.response.headers.get("link") ?? "");
    cursor = next ? (new URL(next[1]).searchParams.get("cursor") ?? undefined) : undefined;
  } while (cursor !== undefined);
  equal(pages, 3);
  deepEqual(new Set(seen), created);
  equal(seen.length, created.size);
});

test("upload an avatar", async () => {
  const user = await register("tsavatar");
  const client = as(await logIn(user.username));
  const uploaded = await usersAvatarUpload({
    client,
    path: { user_id: user.id },
    body: { file: new Blob([PNG], { type: "image/png" }) },
  });
  equal(uploaded.response.status, 200, JSON.stringify(uploaded.error));
  ok(uploaded.data?.avatar_url);
  const image = await fetch(uploaded.data.avatar_url);
  equal(image.status, 200);
  equal(image.headers.get("content-type"), "image/webp");
});

test("a problem+json error arrives as a typed Problem", async () => {
  const user = await register("tsproblem");
  const client = as(await logIn(user.username));
  const missing = await usersGet({ client, path: { user_id: "0".repeat(24) } });
  equal(missing.response.status, 404);
  equal(missing.response.headers.get("content-type"), "application/problem+json");
  const problem: Problem | undefined = missing.error;
  ok(problem);
  equal(problem.status, 404);
  equal(problem.instance, `/users/${"0".repeat(24)}`);
  equal(problem.request_id, missing.response.headers.get("x-request-id"));
  // A validation failure names the field in `errors`.
  const invalid = await usersCreate({
    client: anonymous,
    body: { username: "x", email: "not-an-address", password: PASSWORD },
  });
  equal(invalid.response.status, 422);
  const fields = (invalid.error?.errors ?? []).map((error) => error.loc.join("."));
  ok(fields.includes("body.username"), fields.join(", "));
});
