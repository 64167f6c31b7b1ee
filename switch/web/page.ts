// The web view: one page, no build step. Its views (page/*-view.ts) each bring their markup and their part
// of the one script; the shell brings the style, header, log-in and confirmation dialog. The CSP allows the
// inline script and style by their hashes (security-headers.ts), so the page is assembled once, here.
import { CLIENT_CORE_JS } from './page/client-core.ts'
import { LOGIN_JS, PAGE_HEAD, PAGE_HEADER, PAGE_STYLE } from './page/shell.ts'
import { PARTICIPANTS_HTML, PARTICIPANTS_JS } from './page/participants-view.ts'
import { PARTICIPANT_HTML, PARTICIPANT_JS } from './page/participant-view.ts'
import { TRANSFER_HTML, TRANSFER_JS } from './page/transfer-view.ts'
import { SETTLEMENTS_HTML, SETTLEMENTS_JS } from './page/settlements-view.ts'
import { SETTLEMENT_HTML, SETTLEMENT_JS } from './page/settlement-view.ts'
import { AUDIT_HTML, AUDIT_JS } from './page/audit-view.ts'
import { OVERVIEW_HTML, OVERVIEW_JS } from './page/overview-view.ts'
import { CHARTS_JS } from './page/charts.ts'
import { UPLOT_SCRIPT_PATH, UPLOT_STYLE_PATH, UPLOT_VERSION } from './chart-assets.ts'

const VIEWS_HTML = [PARTICIPANTS_HTML, PARTICIPANT_HTML, TRANSFER_HTML, SETTLEMENTS_HTML, SETTLEMENT_HTML, AUDIT_HTML, OVERVIEW_HTML].join('')
const SCRIPT = [CLIENT_CORE_JS, CHARTS_JS, PARTICIPANTS_JS, PARTICIPANT_JS, TRANSFER_JS, SETTLEMENTS_JS, SETTLEMENT_JS, AUDIT_JS, OVERVIEW_JS, LOGIN_JS].join('\n')

export const PAGE_HTML = `${PAGE_HEAD}
<link rel="stylesheet" href="${UPLOT_STYLE_PATH}?v=${UPLOT_VERSION}"><style>${PAGE_STYLE}</style></head>
<body>${PAGE_HEADER}
<main id="app" hidden><p id="notice" role="status" aria-live="polite"></p>${VIEWS_HTML}
</main>
<script src="${UPLOT_SCRIPT_PATH}?v=${UPLOT_VERSION}"></script><script>${SCRIPT}</script></body></html>`
