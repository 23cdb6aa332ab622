import { padDocName } from '../../schema/index.js'
import { escapeHtml, jsonForScript } from './html.js'
import type { PadSessionView } from '../rooms/index.js'

/** URLs of the browser bundle, served by `padRoutes`. */
export const clientScriptPath = '/pad/client.js'
export const clientStylePath = '/pad/client.css'

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${clientStylePath}">
${head}</head>
<body>
${body}
</body>
</html>
`
}

/**
 * The pad page. The client reads everything it needs from `#pad-config`; the elements with ids
 * are what it fills in (and what tests look at).
 */
export function padPage(view: PadSessionView): string {
  const config = {
    roomId: view.roomId,
    docName: padDocName(view.roomId),
    displayName: view.displayName,
    participantId: view.participantId,
    access: view.access,
    roomTitle: view.roomTitle,
  }
  const accessHint = view.access === 'write' ? 'you can edit the protocol' : 'read-only: you can follow the protocol but not edit it'
  return page(
    `Protocol · ${view.roomTitle}`,
    `<header class="pad-header">
<div class="pad-titles">
<h1>Meeting protocol</h1>
<p class="pad-room">${escapeHtml(view.roomTitle)}</p>
</div>
<p class="pad-meta">
<span class="pad-badge pad-badge-${view.access}" title="${escapeHtml(accessHint)}"><span id="pad-access">${view.access}</span><span class="pad-readonly"> · read-only</span></span>
<span class="pad-status" id="pad-status" data-state="connecting">connecting</span>
</p>
</header>
<p class="pad-notice" id="pad-notice" role="alert" hidden></p>
<main class="pad-layout">
<div class="pad-editor-frame"><div id="pad-editor"></div></div>
<aside class="pad-aside">
<h2>Participants</h2>
<ul id="pad-participants" class="pad-participants"></ul>
</aside>
</main>
<script type="application/json" id="pad-config">${jsonForScript(config)}</script>`,
    `<script type="module" src="${clientScriptPath}"></script>\n`,
  )
}

/** A page that only says why the pad cannot be shown (bad link, ended session, no session). */
export function messagePage(title: string, message: string): string {
  return page(title, `<main class="pad-message">\n<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n</main>`)
}
