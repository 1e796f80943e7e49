// Starts the NHS.UK frontend components on the facilitator's and lead's pages. Without this the
// error summary is never focused after a failed submit (a screen reader user hears nothing) and
// its links do not move focus to the field. The phone pages do not load this file: they stay light.
import { initAll } from "../vendor/nhsuk-frontend.min.js";

// The frontend only starts components on a page that says it can run them (no inline script:
// the Content-Security-Policy allows scripts from files only).
document.body.classList.add("nhsuk-frontend-supported");
initAll();
