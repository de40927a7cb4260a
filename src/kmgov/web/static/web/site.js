// The site's one script for every page (loaded as a module by web/base.html; no inline script,
// so a Content-Security-Policy without 'unsafe-inline' holds). It marks the body as able to run
// GOV.UK Frontend's components and starts them (service navigation menu on phones, error
// summary focus, skip link, details, radios), then wires the small behaviours the templates
// declare with data attributes:
//   data-confirm="问题"      on a form or button: ask before submitting
//   data-print               on a button: print the page (the print stylesheet hides the rest)
//   data-copy="#id"          on a button: copy the text of #id to the clipboard
import { initAll } from "./vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

document.addEventListener("submit", (ev) => {
  const form = ev.target;
  const button = ev.submitter;
  const question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (question && !window.confirm(question)) ev.preventDefault();
});

document.addEventListener("click", (ev) => {
  const el = ev.target.closest("[data-print],[data-copy]");
  if (!el) return;
  if (el.hasAttribute("data-print")) {
    ev.preventDefault();
    window.print();
  } else if (el.dataset.copy) {
    const src = document.querySelector(el.dataset.copy);
    if (src && navigator.clipboard) navigator.clipboard.writeText(src.textContent.trim());
  }
});
