// The passkey ceremony page: password sign-in, passkey registration, sign-out, and
// passkey sign-in, against this service's JSON API. Tokens live in this page's memory.
"use strict";

let tokens = null;

const $ = (id) => document.getElementById(id);

function toBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
}

function toBase64url(buffer) {
  const binary = String.fromCharCode(...new Uint8Array(buffer));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function credentialJson(credential) {
  const response = credential.response;
  const json = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || null,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: toBase64url(response.clientDataJSON) },
  };
  if (response.attestationObject) {
    json.response.attestationObject = toBase64url(response.attestationObject);
    json.response.transports = response.getTransports ? response.getTransports() : [];
  } else {
    json.response.authenticatorData = toBase64url(response.authenticatorData);
    json.response.signature = toBase64url(response.signature);
    json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
  }
  return json;
}

async function api(method, path, body, form) {
  const headers = {};
  if (tokens) headers.Authorization = "Bearer " + tokens.access_token;
  let payload;
  if (form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(form);
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((data && (data.detail || data.title)) || response.statusText);
  return data;
}

function show(error) {
  $("error").textContent = error ? String(error.message || error) : "";
}

async function signedIn(pair) {
  tokens = pair;
  const me = await api("GET", "/users/me");
  $("who").textContent = me.username;
  $("status").textContent = "Signed in as " + me.username + ".";
  $("signed-out").hidden = true;
  $("signed-in").hidden = false;
  await listPasskeys();
}

async function listPasskeys() {
  const list = $("passkeys");
  list.replaceChildren();
  for (const passkey of await api("GET", "/users/me/passkeys")) {
    const item = document.createElement("li");
    item.textContent = passkey.name + (passkey.disabled ? " (disabled)" : "") + " ";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.addEventListener("click", () =>
      run(async () => {
        await api("DELETE", "/users/me/passkeys/" + passkey.id);
        await listPasskeys();
      }),
    );
    item.append(remove);
    list.append(item);
  }
}

async function passwordLogin() {
  const form = { username: $("username").value, password: $("password").value };
  await signedIn(await api("POST", "/auth/token", undefined, form));
}

async function addPasskey() {
  const options = await api("POST", "/users/me/passkeys/registration-options");
  options.challenge = toBytes(options.challenge);
  options.user.id = toBytes(options.user.id);
  for (const excluded of options.excludeCredentials || []) excluded.id = toBytes(excluded.id);
  const credential = await navigator.credentials.create({ publicKey: options });
  const name = $("passkey-name").value || "Passkey";
  await api("POST", "/users/me/passkeys", { name, credential: credentialJson(credential) });
  $("status").textContent = "Passkey added.";
  await listPasskeys();
}

async function logout() {
  const pair = tokens;
  await api("POST", "/auth/logout", { refresh_token: pair.refresh_token });
  tokens = null;
  $("who").textContent = "";
  $("passkeys").replaceChildren();
  $("signed-in").hidden = true;
  $("signed-out").hidden = false;
  $("status").textContent = "Signed out.";
}

async function passkeyLogin() {
  const username = $("passkey-username").value.trim();
  const options = await api("POST", "/auth/passkey/options", username ? { username } : {});
  options.challenge = toBytes(options.challenge);
  for (const allowed of options.allowCredentials || []) allowed.id = toBytes(allowed.id);
  const credential = await navigator.credentials.get({ publicKey: options });
  await signedIn(await api("POST", "/auth/passkey", { credential: credentialJson(credential) }));
}

async function run(action) {
  show(null);
  try {
    await action();
  } catch (error) {
    show(error);
  }
}

function on(id, event, action) {
  $(id).addEventListener(event, (e) => {
    e.preventDefault();
    run(action);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  on("password-login", "submit", passwordLogin);
  on("add-passkey", "submit", addPasskey);
  on("logout", "click", logout);
  on("passkey-login", "submit", passkeyLogin);
  if (!window.PublicKeyCredential) show("This browser offers no passkeys (WebAuthn).");
});
