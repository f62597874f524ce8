/**
 * The portal's HTML: static markup with labelled forms, live regions and tables the script
 * fills in. Only values from a fixed set (the stage, a validated path, base64 digests) are
 * interpolated, and they are escaped anyway.
 */
export interface PortalPageInput {
  /** The stage's base path as the browser sees it, e.g. `/sandbox` ('' at the root). */
  base: string;
  stage: string;
  jsIntegrity: string;
  cssIntegrity: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c] as string);

export function portalHtml(p: PortalPageInput): string {
  const base = esc(p.base);
  const stage = esc(p.stage);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="wk-api-base" content="${base}">
<title>WorkoutKit developer portal (${stage})</title>
<link rel="stylesheet" href="${base}/portal/app.css" integrity="${esc(p.cssIntegrity)}">
<script src="${base}/portal/app.js" integrity="${esc(p.jsIntegrity)}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <div><span class="brand">WorkoutKit developer portal</span><span class="stage">stage: <span id="stage-name">${stage}</span></span></div>
  <button type="button" id="sign-out" hidden>Sign out</button>
</header>
<main id="main" tabindex="-1">
  <p id="no-script" class="error">The portal needs JavaScript.</p>
  <p id="status" class="status" role="status" aria-live="polite" hidden></p>
  <p id="alert" class="error" role="alert" hidden></p>

  <section id="sign-in-view" class="sign-in" aria-labelledby="sign-in-title" hidden>
    <h1 id="sign-in-title">Sign in</h1>
    <p class="hint">Use your client name and client secret for the <strong>${stage}</strong> stage. The access token is kept in this tab's memory only: reloading or closing the tab signs you out.</p>
    <form id="sign-in-form" novalidate>
      <label for="client-name">Client name</label>
      <input id="client-name" name="clientName" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required aria-describedby="sign-in-error">
      <label for="client-secret">Client secret</label>
      <input id="client-secret" name="clientSecret" type="password" autocomplete="current-password" maxlength="512" required aria-describedby="sign-in-error">
      <p id="sign-in-error" class="error" role="alert" hidden></p>
      <button type="submit">Sign in</button>
    </form>
  </section>

  <div id="dashboard" hidden>
    <h1 id="dashboard-title" tabindex="-1">Client <span id="client-title"></span></h1>

    <section class="panel" aria-labelledby="usage-title">
      <h2 id="usage-title">Usage against quota</h2>
      <div id="usage-chart"></div>
      <p id="usage-text"></p>
      <div id="deployment-usage" hidden>
        <h3>This stage's shared quota (all your clients together)</h3>
        <div id="deployment-usage-chart"></div>
        <p id="deployment-usage-text"></p>
      </div>
      <p id="usage-error" class="error" role="alert" hidden></p>
      <button type="button" class="secondary" id="refresh">Refresh usage and failures</button>
    </section>

    <section class="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">Verification keys</h2>
      <table>
        <caption>Public keys your backend signs tokens with (RS256/384/512, ES256/384/512).</caption>
        <thead><tr><th scope="col">Key id (kid)</th><th scope="col">Algorithm</th><th scope="col">Source</th></tr></thead>
        <tbody id="keys-body"></tbody>
      </table>
      <p id="keys-source" class="muted"></p>
      <form id="keys-form" novalidate>
        <fieldset>
          <legend>Replace the registered keys with</legend>
          <label class="radio"><input type="radio" name="keys-mode" value="jwks" checked> a pasted JWKS</label>
          <label class="radio"><input type="radio" name="keys-mode" value="url"> a JWKS URL</label>
        </fieldset>
        <div id="jwks-text-field">
          <label for="jwks-text">JWKS (public keys only, JSON)</label>
          <textarea id="jwks-text" spellcheck="false" aria-describedby="keys-error"></textarea>
        </div>
        <div id="jwks-uri-field" hidden>
          <label for="jwks-uri">JWKS URL (https)</label>
          <input id="jwks-uri" type="url" inputmode="url" spellcheck="false" aria-describedby="keys-error">
        </div>
        <p id="keys-error" class="error" role="alert" hidden></p>
        <button type="submit">Register keys</button>
      </form>
    </section>

    <section class="panel" aria-labelledby="rotate-title">
      <h2 id="rotate-title">Client secret</h2>
      <form id="rotate-form" novalidate>
        <label for="grace-seconds">Grace period: seconds the current secret keeps working</label>
        <input id="grace-seconds" type="number" min="0" max="604800" step="1" value="86400" aria-describedby="rotate-error">
        <p id="rotate-error" class="error" role="alert" hidden></p>
        <button type="submit">Rotate secret</button>
      </form>
      <div id="new-secret" class="secret-box" hidden>
        <label for="new-secret-value">New client secret: shown this once</label>
        <div class="row">
          <input id="new-secret-value" type="text" readonly spellcheck="false" autocomplete="off">
          <button type="button" id="copy-secret">Copy</button>
        </div>
        <p>The previous secret works until <time id="previous-valid-until"></time>.</p>
      </div>
    </section>

    <section class="panel" aria-labelledby="failures-title">
      <h2 id="failures-title">Recent authentication failures</h2>
      <p id="failures-error" class="error" role="alert" hidden></p>
      <ul id="failures-summary" aria-label="Failures by reason"></ul>
      <table>
        <caption>Refused tokens that named this client (last 7 days). Tokens themselves are never stored.</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">Reason</th><th scope="col">Token kind</th></tr></thead>
        <tbody id="failures-body"></tbody>
      </table>
    </section>
  </div>
</main>
</body>
</html>
`;
}
